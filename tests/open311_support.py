"""Old name of tests.builders.open311, kept for tests that import it."""

from tests.builders.open311 import *  # noqa: F403
