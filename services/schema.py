"""Where the database is, and bringing its schema to the newest migration."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"


def default_instance_path() -> Path:
    return Path(os.environ.get("KIOSK_INSTANCE_PATH") or ROOT / "instance").resolve()


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def database_url(instance_path: Path | str | None = None) -> str:
    """DATABASE_URL when set, else the embedded SQLite file in the instance folder."""
    if url := os.environ.get("DATABASE_URL"):
        return normalise_url(url)
    folder = Path(instance_path) if instance_path else default_instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'ekiosk.sqlite3'}"


def alembic_config(url: str) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """Run every migration up to ``revision`` on the database at ``url``."""
    command.upgrade(alembic_config(url), revision)
