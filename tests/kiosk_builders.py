"""Old name of tests.builders.kiosk, kept for tests that import it."""

from tests.builders.kiosk import *  # noqa: F403
