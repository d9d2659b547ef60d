"""The catalog's services, fields and steps are pydantic models: an error's location (pydantic's
``loc``) names the input it concerns, in the import's messages and beside the admin form's
inputs alike, and a valid definition reads back typed."""

import pytest
from pydantic import ValidationError

from services.catalog import editing
from services.catalog.schema import Problems, ServiceDef, check_catalog, check_service
from services.catalog.versions import CatalogInvalid, check_definition
from tests.builders import bilingual, field_def, make_catalog, service_def, step_def
from tests.builders.admin import refused_new_field

CONTEXT = {"agencies": {"DPMPTSP", "DINSOS"}, "categories": {"sosial"}}


def test_a_valid_definition_reads_back_typed():
    definition = ServiceDef.model_validate(
        service_def("SKTM", fields=[field_def("purpose"),
                                    field_def("income", "number",
                                              show_if={"field": "purpose", "value": "x"})]),
        context=CONTEXT)
    assert definition.code == "SKTM" and definition.name.en == "Service SKTM (en)"
    assert [field.key for field in definition.fields] == ["purpose", "income"]
    assert definition.fields[1].show_if.field == "purpose"
    assert definition.workflow[0].agency == "DPMPTSP"
    assert definition.model_dump()["fields"][0]["key"] == "purpose"


def test_pydantic_locations_name_the_input_inside_the_document():
    with pytest.raises(ValidationError) as raised:
        ServiceDef.model_validate(service_def(
            "SKTM", fee=-1, fields=[field_def("purpose", label={"id": "Keperluan", "en": ""})]),
            context=CONTEXT)
    located = {(error["loc"], problem) for error in raised.value.errors()
               for problem in error["ctx"]["problems"]}
    assert (("fee",), (("fee",), "fee must be a whole number of at least 0")) in located
    assert (("fields", 0, "label"),
            (("label", "en"), "label is missing its 'en' text")) in located


def test_an_import_message_names_the_service_the_field_and_the_location():
    problems = Problems()
    check_service(service_def("SKTM", fields=[
        field_def("purpose"),
        field_def("income", "number", show_if={"field": "purpose", "op": "gt", "value": "x"})],
        workflow=[step_def("DPMPTSP"), step_def("NOPE", stage=2)]),
        "a.yaml: service SKTM", problems, CONTEXT["agencies"], CONTEXT["categories"])
    assert [(p.where, p.loc, p.text) for p in problems.found] == [
        ("a.yaml: service SKTM: field income", ("show_if", "value"),
         "show_if with op 'gt' needs a number value"),
        ("a.yaml: service SKTM: workflow step 2", ("agency",), "unknown agency 'NOPE'"),
    ]
    assert check_catalog({"services": [service_def("SKTM", name={"id": "Surat"})]}, "b.yaml",
                         CONTEXT["agencies"], CONTEXT["categories"]) == [
        "b.yaml: service SKTM: name is missing its 'en' text"]


def refused_inputs(session, field):
    """The inputs an edit of the field "note" is refused beside, with what is said there."""
    with pytest.raises(CatalogInvalid) as raised:
        editing.edit_draft(session, "SKTM", lambda d: editing.put_field(d, "note", field),
                           actor=None, where="field note",
                           inputs=["key", "label_id", "label_en", "show_if_field",
                                   "show_if_value", "choices"])
    return {name: said.params["problem"] for name, said in raised.value.fields.items()}


def test_a_field_edit_puts_each_location_beside_its_input(session):
    make_catalog(session, service_def("SKTM", fields=[field_def("purpose"), field_def("note")]))
    choices = [{"value": "a", "label": bilingual("A")}]
    assert refused_inputs(session, field_def(
        "note", "choice", label={"id": "Catatan", "en": ""}, choices=choices)) == {
        "label_en": "label is missing its 'en' text"}
    # The rules across fields run once each field is valid on its own.
    assert refused_inputs(session, field_def(
        "note", "choice", choices=choices,
        show_if={"field": "purpose", "op": "in", "value": "x"})) == {
        "show_if_value": "show_if with op 'in' needs a list value"}
    session.rollback()


def test_the_admin_field_form_shows_pydantics_location_beside_the_english_label(
        admin_client, app_session):
    page = refused_new_field(admin_client, "SKTM", key="note", type="text", label_id="Catatan",
                             label_en="  ")
    assert 'id="label_en-error"' in page and "label is missing its &#39;en&#39; text" in page


def test_a_checked_definition_comes_back_typed_for_the_code_that_reads_it(session):
    make_catalog(session)
    checked = check_definition(session, service_def("SKTM"), "service SKTM")
    assert checked.workflow[0].agency == "DPMPTSP" and checked.fee_kind == "free"
    session.rollback()


def test_a_tariff_without_a_fee_is_refused_though_the_fee_is_left_out():
    definition = service_def("SKTM", fee_kind="tariff")
    definition.pop("fee", None)
    assert check_catalog({"services": [definition]}, "a.yaml", CONTEXT["agencies"],
                         CONTEXT["categories"]) == [
        "a.yaml: service SKTM: a tariff fee gives its amount in rupiah (more than 0)"]
