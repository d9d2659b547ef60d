"""Old name of tests.builders.admin (and conftest's admin_client), kept for tests that import it."""

from tests.builders.admin import *  # noqa: F403
from tests.conftest import admin_client  # noqa: F401
