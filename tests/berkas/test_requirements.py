"""A service's requirements are structured in the catalog: how each is met, whether it is asked,
its formats and limits; the older plain wording still reads, and the standard, the admin editor
and the export all speak from the one definition."""

import pytest

from services.catalog.definitions import version_requirements, version_to_definition
from services.catalog.requirements import (
    documents_asked,
    requirement_line,
    requirements_of,
    structured_items,
    with_wording,
)
from services.catalog.schema import check_catalog
from services.catalog.standard import standard_components
from services.models import RequirementKind
from tests.builders import bilingual, catalog_def, field_def, make_catalog, service_def

DRAWING = {"key": "gambar_rencana", "name": bilingual("Gambar rencana"), "kind": "upload",
           "formats": ["pdf"], "max_mb": 20, "max_files": 10}
KTP = {"key": "ktp", "name": bilingual("KTP-el"), "kind": "upload"}
KK = {"key": "kk_asli", "name": bilingual("KK asli"), "kind": "counter"}
SIAK = {"key": "data_siak", "name": bilingual("Data kependudukan"), "kind": "fetched"}
CALCULATION = {"key": "perhitungan", "name": bilingual("Perhitungan struktur"), "kind": "upload",
               "show_if": {"field": "floors", "op": "gt", "value": 2}}
FIELDS = [field_def("purpose"), field_def("floors", "number")]


def problems_of(*requirements, fields=FIELDS):
    return check_catalog(catalog_def(service_def(requirements=list(requirements),
                                                 fields=fields)), "t.yaml")


def test_structured_requirements_are_accepted():
    assert problems_of(DRAWING, KTP, KK, SIAK, CALCULATION) == []


@pytest.mark.parametrize(("requirement", "said"), [
    ({**KTP, "kind": "fax"}, "kind must be one of upload, counter, fetched"),
    ({**KK, "formats": ["pdf"]}, "formats applies only to a requirement of kind upload"),
    ({**KTP, "formats": ["exe"]}, "formats must list one or more of pdf, jpeg, png"),
    ({**KTP, "max_mb": 500}, "max_mb must be a whole number from 1 to 20"),
    ({**KTP, "max_files": 0}, "max_files must be a whole number from 1 to 20"),
    ({**KTP, "key": "purpose"}, "key appears twice among the requirements and fields"),
    ({**KTP, "show_if": {"field": "nothing", "value": 1}},
     "show_if refers to 'nothing', which is not an earlier field"),
    ({**KTP, "name": {"id": "KTP"}}, "name is missing its 'en' text"),
])
def test_a_wrong_requirement_is_refused_where_it_is(requirement, said):
    found = problems_of(requirement)
    assert found == [f"t.yaml: service SKTM: requirement {requirement['key']}: {said}"]


def test_plain_wording_still_reads_as_things_shown_at_the_counter():
    items = structured_items({"id": ["Fotokopi KTP", "KK"], "en": ["KTP copy", "KK"]})
    assert [(i["key"], i["kind"], i["name"]["en"]) for i in items] == [
        ("syarat_1", "counter", "KTP copy"), ("syarat_2", "counter", "KK")]
    found = check_catalog(catalog_def(service_def(
        requirements={"id": ["A", "B"], "en": ["A"]})), "t.yaml")
    assert found == ["t.yaml: service SKTM: requirements has 2 'id' items but 1 'en' items"]


def test_a_version_keeps_its_requirements_and_exports_them_structured(session):
    service, = make_catalog(session, service_def(requirements=[DRAWING, KK, SIAK],
                                                 retention_years=10))
    version = service.current_version
    assert version.requirements_id == ["Gambar rencana", "KK asli", "Data kependudukan"]
    exported = version_to_definition(service, version)
    assert exported["requirements"][0] == {**DRAWING, "required": True}
    assert exported["requirements"][1] == {**KK, "required": True}
    assert exported["retention_years"] == 10
    assert [r.kind for r in version_requirements(version)] == [
        RequirementKind.UPLOAD, RequirementKind.COUNTER, RequirementKind.FETCHED]


def test_the_standard_says_how_each_requirement_is_met(session):
    service, = make_catalog(session, service_def(requirements=[DRAWING, KK, SIAK, CALCULATION],
                                                 fields=FIELDS))
    persyaratan, = [c for c in standard_components(service.current_version, "id")
                    if c.key == "persyaratan"]
    assert persyaratan.items == [
        "Gambar rencana (unggah atau pindai: PDF; maks. 20 MB, paling banyak 10 berkas)",
        "KK asli (tunjukkan di loket)",
        "Data kependudukan (diambil petugas, tidak perlu dibawa)",
        "Perhitungan struktur (unggah atau pindai: PDF, JPEG, PNG; maks. 5 MB, bila berlaku)"]
    english = requirement_line(requirements_of([KTP])[0], "en")
    assert english == "KTP-el (en) (upload or scan: PDF, JPEG, PNG; max. 5 MB)"


def test_the_documents_asked_follow_the_answers():
    requirements = requirements_of([DRAWING, KK, CALCULATION])
    assert [r.key for r in documents_asked(requirements, {"floors": 1})] == ["gambar_rencana"]
    assert [r.key for r in documents_asked(requirements, {"floors": 3})] == [
        "gambar_rencana", "perhitungan"]


def test_edited_wording_keeps_each_line_kind_and_limits():
    merged = with_wording([DRAWING, KK], {"id": ["Gambar", "KK", "Baru"],
                                          "en": ["Drawing", "KK", "New"]})
    assert merged[0] == {**DRAWING, "name": {"id": "Gambar", "en": "Drawing"}}
    assert merged[2] == {"key": "syarat_3", "kind": "counter", "required": True,
                         "name": {"id": "Baru", "en": "New"}}
    assert with_wording([DRAWING, KK], {"id": ["Gambar"], "en": ["Drawing"]})[0]["kind"] == \
        "upload"
