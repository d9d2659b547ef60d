"""Importing the catalog: good files land whole, bad files change nothing and say why."""

import pytest
from sqlalchemy import func, select

from services.catalog.transfer import (
    dump_catalog,
    export_catalog,
    import_catalog,
    read_catalog_file,
)
from services.catalog.versions import CatalogInvalid
from services.demo import DEMO_CATALOG
from services.models import Agency, AuditRecord, Holiday, Service, ServiceVersion
from tests.builders import catalog_def, field_def, service_def, step_def

TABLES = (Agency, Service, ServiceVersion, Holiday, AuditRecord)


def row_counts(session):
    return {model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in TABLES}


def test_importing_a_good_catalog_creates_services_agencies_and_versions(session):
    document = catalog_def(service_def("SKTM"), service_def("PBG"))
    summary = import_catalog(session, document, "good.yaml")
    session.commit()
    assert sorted(summary.created) == ["PBG", "SKTM"]
    service = session.scalar(select(Service).where(Service.code == "SKTM"))
    assert service.current_version.number == 1
    assert service.current_version.name_en == "Service SKTM (en)"
    assert [f.key for f in service.current_version.fields] == ["purpose"]
    assert service.current_version.steps[0].agency.code == "DPMPTSP"


def test_the_demo_catalog_imports_with_at_least_fifteen_services(session):
    summary = import_catalog(session, read_catalog_file(DEMO_CATALOG), DEMO_CATALOG.name)
    session.commit()
    assert len(summary.created) >= 15
    assert session.scalar(select(func.count()).select_from(Agency)) >= 8


def test_importing_the_same_file_twice_changes_nothing(session):
    document = catalog_def(service_def("SKTM"))
    import_catalog(session, document, "a.yaml")
    session.commit()
    summary = import_catalog(session, document, "a.yaml")
    session.commit()
    assert summary.unchanged == ["SKTM"]
    assert session.scalar(select(func.count()).select_from(ServiceVersion)) == 1


def test_export_then_import_gives_back_the_same_catalog(session):
    import_catalog(session, read_catalog_file(DEMO_CATALOG), DEMO_CATALOG.name)
    session.commit()
    exported = export_catalog(session)
    summary = import_catalog(session, exported, "export.yaml")
    assert summary.created == [] and summary.new_versions == []
    assert "services:" in dump_catalog(exported)


BAD_CASES = {
    "unknown field type": (
        service_def("SKTM", fields=[field_def("purpose", type="numbr")]),
        "bad.yaml: service SKTM: field purpose: unknown type 'numbr'",
    ),
    "missing english name": (
        service_def("SKTM", name={"id": "Surat"}),
        "bad.yaml: service SKTM: name is missing its 'en' text",
    ),
    "unknown agency in a step": (
        service_def("SKTM", workflow=[step_def("NOPE")]),
        "bad.yaml: service SKTM: workflow step 1: unknown agency 'NOPE'",
    ),
    "show-if on a later field": (
        service_def("SKTM", fields=[field_def("a", show_if={"field": "b", "value": "x"}),
                                    field_def("b")]),
        "bad.yaml: service SKTM: field a: show_if refers to 'b', which is not an earlier field",
    ),
    "show-if on a field of a later page": (
        service_def("SKTM", fields=[field_def("a", page=2), field_def("b", show_if={
            "field": "a", "value": "x"})]),
        "bad.yaml: service SKTM: field b: show_if refers to 'a', which is asked on a later page",
    ),
    "stages with a gap": (
        service_def("SKTM", workflow=[step_def(stage=1), step_def(stage=3)]),
        "bad.yaml: service SKTM: workflow stages must run 1, 2, 3 ... without gaps; got [1, 3]",
    ),
    "choice without choices": (
        service_def("SKTM", fields=[field_def("kecamatan", type="choice")]),
        "bad.yaml: service SKTM: field kecamatan: a choice field needs a non-empty 'choices' list",
    ),
    "negative fee": (
        service_def("SKTM", fee=-5),
        "bad.yaml: service SKTM: fee must be a whole number of at least 0",
    ),
    "agency chooser missing an answer": (
        service_def(
            "SKTM",
            fields=[field_def("kecamatan", type="choice", choices=[
                {"value": "utara", "label": {"id": "Utara", "en": "North"}},
                {"value": "timur", "label": {"id": "Timur", "en": "East"}}])],
            workflow=[step_def(None, agency_from={"field": "kecamatan",
                                                  "map": {"utara": "DINSOS"}})],
        ),
        "bad.yaml: service SKTM: workflow step 1: agency_from has no agency for answer 'timur'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_a_bad_catalog_is_rejected_whole_with_a_message_naming_where(session, case):
    good = service_def("AKTA")
    bad, expected = BAD_CASES[case]
    before = row_counts(session)
    with pytest.raises(CatalogInvalid) as raised:
        import_catalog(session, catalog_def(good, bad), "bad.yaml")
    session.rollback()
    assert any(problem.startswith(expected) for problem in raised.value.problems)
    assert row_counts(session) == before


def test_a_file_that_is_not_yaml_is_rejected_naming_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("services: [\n  - code: X\n    name: {id: 'a'\n")
    with pytest.raises(CatalogInvalid) as raised:
        read_catalog_file(path)
    assert raised.value.problems[0].startswith("broken.yaml: not valid YAML")


def test_the_cli_import_reports_problems_and_exits_nonzero(runner, app_session, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(dump_catalog(catalog_def(service_def("SKTM", fee="gratis"))))
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 1
    assert "bad.yaml: service SKTM: fee must be a whole number" in result.output
    assert app_session.scalar(select(func.count()).select_from(Service)) == 0


def test_the_cli_import_then_export_round_trips(runner, app_session, tmp_path):
    result = runner.invoke(args=["catalog", "import", str(DEMO_CATALOG)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.yaml"
    assert runner.invoke(args=["catalog", "export", "-o", str(out)]).exit_code == 0
    again = runner.invoke(args=["catalog", "import", str(out)])
    assert "0 new services, 0 new versions" in again.output


def test_a_city_that_needs_the_sk_takes_no_new_standard_without_it_from_a_file(session):
    """KIOSK_STANDARD_NEEDS_DECREE holds for an imported catalog as for the admin's publish."""
    from datetime import date

    with pytest.raises(CatalogInvalid) as refused:
        import_catalog(session, catalog_def(service_def("SKTM")), "a.yaml", needs_decree=True)
    assert "SKTM: a new version needs its SK penetapan" in str(refused.value.problems)
    session.rollback()
    decreed = {**service_def("SKTM"),
               "penetapan": {"number": "800/12/436.7/2026", "date": date(2026, 1, 5)},
               "consultations": [{"date": date(2025, 12, 1), "participants": "Forum warga",
                                  "summary": "Persyaratan disederhanakan."}]}
    summary = import_catalog(session, catalog_def(decreed), "a.yaml", needs_decree=True)
    assert summary.created == ["SKTM"]
