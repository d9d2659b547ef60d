"""The per-process copy of the published catalog: a submission reads it instead of the catalog
tables, and any catalog change (a new version, a holiday, a deactivated service) moves the
generation so the next submission sees the change."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from services.catalog.cache import CatalogCache, catalog_generation
from services.catalog.holidays import HolidayInput, add_holiday
from services.catalog.transfer import import_catalog
from services.catalog.versions import set_service_active
from services.errors import NotFound
from services.submission import submit_request
from tests.builders import PINS, catalog_def, field_def, make_catalog, service_def, step_def
from tests.test_submission import pbg_service, submission

MONDAY = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


@pytest.fixture
def cache():
    return CatalogCache()


def statements(session):
    seen: list[str] = []
    event.listen(session.get_bind(), "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: seen.append(statement))
    return seen


def test_a_catalog_change_moves_the_generation_in_its_own_transaction(session):
    make_catalog(session, pbg_service())
    before = catalog_generation(session)
    assert before is not None
    add_holiday(session, HolidayInput(date(2026, 12, 1), "Libur", "Holiday"), actor=None)
    session.flush()
    assert catalog_generation(session) != before
    session.rollback()
    assert catalog_generation(session) == before


def test_a_second_submission_reads_only_the_generation_from_the_catalog(session, cache):
    make_catalog(session, pbg_service())
    submit_request(session, submission(), pins=PINS, catalog=cache)
    seen = statements(session)
    submit_request(session, submission(), pins=PINS, catalog=cache)
    catalog_tables = ("FROM service", "FROM form_field", "FROM workflow_step", "FROM holiday",
                      "FROM agency")
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")
             and "outbox" not in s and "notification_consent" not in s
             and "webhook_subscriber" not in s]  # the outbox's own look-ups are not the catalog
    assert len(reads) == 1 and "catalog_state" in reads[0]
    assert not any(table in s for s in seen for table in catalog_tables)


def test_a_new_published_version_is_used_by_the_next_submission(session, cache):
    make_catalog(session, pbg_service())
    first = submit_request(session, submission(), pins=PINS, catalog=cache)
    changed = service_def("PBG", fields=[field_def("floor_area", type="number"),
                                         field_def("storeys", type="number")],
                          workflow=[step_def("DPMPTSP", stage=1)])
    import_catalog(session, catalog_def(changed), "v2.yaml")
    session.commit()
    second = submit_request(session, submission(answers={"floor_area": "120", "storeys": "2"}),
                            pins=PINS, catalog=cache)
    assert (first.version.number, second.version.number) == (1, 2)
    assert second.request.answers == {"floor_area": 120, "storeys": 2}
    assert len(second.request.tasks) == 1


def test_a_new_holiday_moves_the_next_deadline(session, cache):
    make_catalog(session, pbg_service())
    before = submit_request(session, submission(), pins=PINS, catalog=cache, now=MONDAY)
    add_holiday(session, HolidayInput(date(2026, 12, 1), "Libur", "Holiday"), actor=None)
    session.commit()
    after = submit_request(session, submission(), pins=PINS, catalog=cache, now=MONDAY)
    assert (after.request.due_at - before.request.due_at).days == 1


def test_a_deactivated_service_is_refused_at_once(session, cache):
    make_catalog(session, pbg_service())
    submit_request(session, submission(), pins=PINS, catalog=cache)
    set_service_active(session, "PBG", False, actor=None)
    session.commit()
    with pytest.raises(NotFound):
        submit_request(session, submission(), pins=PINS, catalog=cache)


def test_an_unknown_service_is_not_found(session, cache):
    make_catalog(session, pbg_service())
    with pytest.raises(NotFound):
        cache.for_submission(session, "NO-SUCH")
