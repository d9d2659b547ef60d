"""Old name of tests.builders.outbox, kept for tests that import it."""

from tests.builders.outbox import *  # noqa: F403
