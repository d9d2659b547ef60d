"""Old name of tests.builders.ikm, kept for tests that import it."""

from tests.builders.ikm import *  # noqa: F403
