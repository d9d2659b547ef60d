"""Old name of tests.builders.complaints, kept for tests that import it."""

from tests.builders.complaints import *  # noqa: F403
