"""Publishing a changed service makes a new version; requests keep the one they were made under."""

import pytest

from services.catalog.versions import (
    CatalogInvalid,
    draft_definition,
    publish_draft,
    save_draft,
)
from services.models import VersionState
from tests.builders import make_catalog, service_def


def test_editing_creates_a_draft_and_leaves_the_published_version_alone(session):
    (service,) = make_catalog(session, service_def("SKTM"))
    definition = draft_definition(session, "SKTM", actor=None)
    definition["fee"], definition["fee_kind"] = 10000, "tariff"
    draft = save_draft(session, "SKTM", definition, actor=None)
    session.commit()
    assert draft.state is VersionState.DRAFT and draft.number == 2
    assert service.current_version.number == 1
    assert service.current_version.fee == 0


def test_publishing_the_draft_makes_it_current_and_retires_the_old_version(session):
    (service,) = make_catalog(session, service_def("SKTM"))
    first = service.current_version
    definition = draft_definition(session, "SKTM", actor=None)
    definition["duration_days"] = 9
    save_draft(session, "SKTM", definition, actor=None)
    published = publish_draft(session, "SKTM", actor=None)
    session.commit()
    assert service.current_version is published
    assert published.number == 2 and published.duration_days == 9
    assert first.state is VersionState.RETIRED and first.duration_days == 5


def test_a_draft_that_breaks_the_rules_is_refused_and_the_draft_is_unchanged(session):
    make_catalog(session, service_def("SKTM"))
    definition = draft_definition(session, "SKTM", actor=None)
    definition["workflow"][0]["agency"] = "NOWHERE"
    with pytest.raises(CatalogInvalid):
        save_draft(session, "SKTM", definition, actor=None)
    session.rollback()
    assert draft_definition(session, "SKTM", actor=None)["workflow"][0]["agency"] == "DPMPTSP"


def test_reimporting_a_changed_definition_publishes_a_new_version(session):
    make_catalog(session, service_def("SKTM"))
    (service,) = make_catalog(session, service_def("SKTM", fee=5000))
    assert service.current_version.number == 2
    assert [v.state for v in service.versions] == [VersionState.RETIRED, VersionState.PUBLISHED]
