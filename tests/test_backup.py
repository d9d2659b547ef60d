"""Backup and restore: tools/backup.sh dumps the database with pg_dump and restores the dump into
a fresh database with pg_restore; every table comes back with the same rows."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from services.database import scratch_database
from services.db import Base
from services.workflow.tasks import return_for_information
from tests import conftest
from tests.builders.workflow import make_city, open_task, submit

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "backup.sh"

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_only():
    if conftest.test_database_kind() != "postgres":
        pytest.skip("!!! backup and restore needs PostgreSQL: run with KIOSK_TEST_DB=postgres !!!")
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"!!! {tool} is missing: apt-get install postgresql-client !!!")


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            counts = {table.name: connection.scalar(select(func.count()).select_from(table))
                      for table in Base.metadata.sorted_tables}
            counts["alembic_version"] = connection.scalar(
                text("SELECT count(*) FROM alembic_version"))
            return counts
    finally:
        engine.dispose()


def run(*args: str) -> str:
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_dump_restores_into_a_fresh_database_with_every_row(postgres_only, session,
                                                               database_url, tmp_path):
    staff = make_city(session)
    for floor_area in (120, 750, 900):
        request, _ = submit(session, floor_area=floor_area)
    return_for_information(session, actor=staff["clerk.dpmptsp"],
                           task_id=open_task(session, request, "DPMPTSP").id, note="?")
    session.commit()
    dump = tmp_path / "ekiosk.dump"
    run("dump", str(dump), database_url)
    assert dump.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    assert "TABLE DATA public service_request" in run("list", str(dump))
    before = row_counts(database_url)
    with scratch_database(database_url, "ekiosk_restore") as fresh:
        run("restore", str(dump), fresh)
        after = row_counts(fresh)
    assert after == before
    assert before["service_request"] == 3 and before["event"] >= 4
