"""Old name of tests.builders.workflow, kept for tests that import it."""

from tests.builders.workflow import *  # noqa: F403
