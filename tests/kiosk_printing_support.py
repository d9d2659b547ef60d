"""Old name of tests.builders.printing, kept for tests that import it."""

from tests.builders.printing import *  # noqa: F403
