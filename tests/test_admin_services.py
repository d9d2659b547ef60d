"""Administrators edit a service through its draft, publish it as a new version, and preview it;
requests keep the version they were made under."""

import pytest
from sqlalchemy import select

from services.catalog import editing
from services.catalog.schema import Problems, check_service
from services.catalog.versions import CatalogInvalid
from services.errors import Message
from services.models import AuditRecord, Channel, Service, VersionState
from services.submission import Applicant, Submission, submit_request
from tests.builders import PINS, field_def, make_catalog, service_def
from tests.builders.admin import audit_records, refused_new_field

STANDARD = {
    "category": "sosial", "name_id": "Surat Keterangan Tidak Mampu",
    "name_en": "Low-income certificate", "description_id": "", "description_en": "",
    "requirements_id": "Fotokopi KTP\nFotokopi KK", "requirements_en": "Copy of KTP\nCopy of KK",
    "procedure_id": "Isi formulir", "procedure_en": "Fill in the form",
    "duration_days": "3", "fee": "15000", "product_id": "Surat keterangan",
    "product_en": "Certificate", "product_validity_days": "", "complaint_channel_id": "LAPOR",
    "complaint_channel_en": "LAPOR", "fee_kind": "tariff", "clock_start": "submission",
    "fee_basis_id": "Perda Kota Contoh 1/2024", "fee_basis_en": "City Regulation 1/2024",
    "product_kind": "document", "dasar_hukum_id": "UU 25/2009", "dasar_hukum_en": "Law 25/2009",
}


def service(session, code="SKTM") -> Service:
    session.expire_all()
    return session.scalar(select(Service).where(Service.code == code))


def draft(session, code="SKTM"):
    return next(v for v in service(session, code).versions if v.state is VersionState.DRAFT)


# --- the draft's definition, edited by pure functions ---------------------------------------

def test_renaming_a_field_renames_the_conditions_that_refer_to_it():
    definition = service_def(fields=[field_def("has_job", "yes_no"),
                                     field_def("employer", show_if={"field": "has_job",
                                                                    "value": True})])
    definition["workflow"][0]["condition"] = {"field": "has_job", "op": "eq", "value": True}
    editing.put_field(definition, "has_job", field_def("employed", "yes_no"))
    assert definition["fields"][1]["show_if"]["field"] == "employed"
    assert definition["workflow"][0]["condition"]["field"] == "employed"


def test_moving_a_field_swaps_it_with_its_neighbour_and_stops_at_the_ends():
    definition = service_def(fields=[field_def("a"), field_def("b"), field_def("c")])
    editing.move_field(definition, "c", -1)
    editing.move_field(definition, "a", -1)
    assert [f["key"] for f in definition["fields"]] == ["a", "c", "b"]


@pytest.mark.parametrize(("kind", "op", "raw", "value"), [
    ("number", "gt", "500", 500),
    ("text", "eq", "toko", "toko"),
    ("yes_no", "eq", "ya", True),
    ("choice", "in", "a, b", ["a", "b"]),
    ("number", "lte", "2,5", 2.5),
])
def test_a_condition_typed_in_a_form_becomes_the_catalogs_value(kind, op, raw, value):
    fields = {"x": {"key": "x", "type": kind}}
    condition = editing.parse_condition(fields, "x", op, raw)
    assert condition == {"field": "x", "op": op, "value": value}
    assert editing.parse_condition(fields, "x", op, editing.condition_text(condition)) == condition


def test_no_condition_field_means_no_condition():
    assert editing.parse_condition({}, "", "eq", "anything") is None


def test_problems_are_put_beside_the_inputs_their_location_names():
    problems = Problems()
    check_service({**service_def("SKTM"), "fee": -1, "name": {"id": "Surat", "en": ""},
                   "requirements": {"id": ["KTP"], "en": ["KTP", "KK"]},
                   "fields": [{"key": "purpose", "type": "text", "label": {"id": "a", "en": "b"}},
                              {"key": "purpose", "type": "text", "label": {"id": "a", "en": "b"}}]},
                  "service SKTM", problems, {"DPMPTSP", "DINSOS", "DPUPR"}, {"sosial"})
    problems = problems.found
    fields = editing.problem_fields(problems, "service SKTM",
                                    ["fee", "name_id", "name_en", "requirements_id",
                                     "requirements_en"])
    assert {name: said.params["problem"] for name, said in fields.items()} == {
        "fee": "fee must be a whole number of at least 0",
        "name_en": "name is missing its 'en' text",
        "requirements_en": "requirements has 1 'id' items but 2 'en' items",
    }
    assert editing.problem_fields(problems, "service SKTM: field purpose", ["key", "type"]) == {
        "key": Message("import.problem", {"problem": "key appears twice"})}


# --- use cases ------------------------------------------------------------------------------

def test_an_edit_that_breaks_a_rule_says_which_input_and_writes_nothing(session):
    make_catalog(session, service_def("SKTM"))
    with pytest.raises(CatalogInvalid) as raised:
        editing.edit_draft(session, "SKTM", lambda d: d.update(fee=-5), actor=None,
                           inputs=["fee", "duration_days"])
    assert set(raised.value.fields) == {"fee"}
    session.rollback()
    assert [v.state for v in service(session).versions] == [VersionState.PUBLISHED]


def test_a_step_choosing_its_agency_by_an_unknown_answer_is_refused_beside_that_input(session):
    make_catalog(session, service_def("SKTM"))
    step = {**editing.step_at(editing.editable_definition(session, "SKTM")[0], 0)}
    step.pop("agency")
    step["agency_from"] = {"field": "nowhere", "map": {"a": "DINSOS"}}
    with pytest.raises(CatalogInvalid) as raised:
        editing.edit_draft(session, "SKTM", lambda d: editing.put_step(d, 0, step), actor=None,
                           where="workflow step 1",
                           inputs=["agency", "agency_from_field", "agency_from_map"])
    assert set(raised.value.fields) == {"agency_from_field"}
    session.rollback()


def test_a_new_service_starts_as_a_draft_that_citizens_cannot_see(session):
    make_catalog(session)
    created = editing.create_service(session, code="SIUP", category="sosial",
                                     name={"id": "Izin usaha", "en": "Business permit"},
                                     agency="DPMPTSP", actor=None)
    session.commit()
    assert created.current_version is None
    assert [(v.number, v.state) for v in created.versions] == [(1, VersionState.DRAFT)]
    assert session.scalar(select(AuditRecord.action).where(AuditRecord.entity_key == "SIUP")) == "create"


def test_a_new_service_with_an_unknown_category_is_refused(session):
    make_catalog(session)
    with pytest.raises(CatalogInvalid) as raised:
        editing.create_service(session, code="SIUP", category="nowhere",
                               name={"id": "Izin", "en": "Permit"}, agency="DPMPTSP", actor=None)
    assert "category" in raised.value.fields


# --- pages ----------------------------------------------------------------------------------

def test_editing_the_standard_in_the_browser_makes_a_draft_and_leaves_the_version(
        admin_client, app_session):
    response = admin_client.post("/admin/services/SKTM/standard", data=STANDARD)
    assert response.status_code == 302
    current = service(app_session).current_version
    assert (current.number, current.fee) == (1, 0)
    edited = draft(app_session)
    assert (edited.number, edited.fee, edited.requirements_id) == (
        2, 15000, ["Fotokopi KTP", "Fotokopi KK"])
    assert [r.action for r in audit_records(app_session, "service")][-2:] == [
        "start_draft", "edit_draft"]


def test_a_standard_with_unequal_translations_is_shown_beside_the_input(
        admin_client, app_session):
    response = admin_client.post("/admin/services/SKTM/standard",
                                 data={**STANDARD, "requirements_en": "Only one"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "requirements has 2 &#39;id&#39; items but 1 &#39;en&#39; items" in page
    assert 'id="requirements_en-error"' in page
    assert [v.state for v in service(app_session).versions] == [VersionState.PUBLISHED]


def test_publishing_the_draft_makes_a_new_version_and_old_requests_keep_theirs(
        admin_client, app_session):
    old_request = submit_request(app_session, Submission(
        service_code="SKTM", applicant=Applicant(nik="3578014506900001", name="Siti Aminah",
                                                 phone="081234567890"),
        answers={"purpose": "Beasiswa"}, channel=Channel.API), pins=PINS).request
    app_session.commit()
    admin_client.post("/admin/services/SKTM/standard", data=STANDARD)
    page = admin_client.get("/admin/services/SKTM/").get_data(as_text=True)
    assert "Terbitkan versi 2" in page
    assert admin_client.post("/admin/services/SKTM/publish").status_code == 302
    current = service(app_session).current_version
    assert (current.number, current.fee, current.state) == (2, 15000, VersionState.PUBLISHED)
    app_session.refresh(old_request)
    assert old_request.service_version.number == 1 and old_request.service_version.fee == 0
    assert admin_client.get("/api/v1/services/SKTM").get_json()["fee"] == 15000
    page = admin_client.get("/admin/services/SKTM/").get_data(as_text=True)
    assert "Terbitkan versi" not in page
    assert audit_records(app_session, "service")[-1].changes == {"version": 2}


def test_discarding_the_draft_keeps_the_published_version(admin_client, app_session):
    admin_client.post("/admin/services/SKTM/standard", data=STANDARD)
    admin_client.post("/admin/services/SKTM/discard")
    assert [v.number for v in service(app_session).versions] == [1]


def test_adding_editing_moving_and_removing_fields(admin_client, app_session):
    base = {"type": "text", "label_id": "Pekerjaan", "label_en": "Occupation", "page": "2",
            "required": "y", "show_if_field": "", "show_if_op": "eq"}
    assert admin_client.post("/admin/services/SKTM/fields/new",
                             data={**base, "key": "occupation"}).status_code == 302
    admin_client.post("/admin/services/SKTM/fields/new", data={
        **base, "key": "household", "type": "choice", "label_id": "Jumlah tanggungan",
        "choices": "1 | Satu | One\n2 | Dua | Two", "show_if_field": "occupation",
        "show_if_op": "eq", "show_if_value": "buruh"})
    fields = draft(app_session).fields
    assert [f.key for f in fields] == ["purpose", "occupation", "household"]
    assert fields[2].show_if == {"field": "occupation", "op": "eq", "value": "buruh"}
    assert [c["label_en"] for c in fields[2].choices] == ["One", "Two"]
    admin_client.post("/admin/services/SKTM/fields/occupation/edit", data={
        **base, "key": "job", "constraints": "", "max_length": "40"})
    admin_client.post("/admin/services/SKTM/fields/purpose/move", data={"direction": "down"})
    fields = draft(app_session).fields
    assert [(f.key, f.page) for f in fields] == [("purpose", 1), ("job", 2), ("household", 2)]
    assert fields[1].constraints == {"max_length": 40}
    assert fields[2].show_if["field"] == "job"
    admin_client.post("/admin/services/SKTM/fields/household/remove")
    assert [f.key for f in draft(app_session).fields] == ["purpose", "job"]


def test_a_field_with_a_bad_key_and_no_choices_is_refused_beside_each_input(
        admin_client, app_session):
    page = refused_new_field(admin_client, "SKTM", key="Bad Key", type="choice", label_id="X",
                             label_en="X")
    assert 'id="key-error"' in page and 'id="choices-error"' in page
    assert [v.state for v in service(app_session).versions] == [VersionState.PUBLISHED]


def test_adding_a_conditional_step_and_an_unknown_agency_is_refused(admin_client, app_session):
    step = {"stage": "2", "name_id": "Survei lapangan", "name_en": "Field survey",
            "agency": "DINSOS", "agency_from_field": "", "sla_days": "4",
            "condition_field": "purpose", "condition_op": "eq", "condition_value": "Beasiswa",
            "forward_to": ["DPUPR"]}
    assert admin_client.post("/admin/services/SKTM/steps/new", data=step).status_code == 302
    steps = draft(app_session).steps
    assert [(s.stage, s.agency.code, s.sla_days) for s in steps] == [(1, "DPMPTSP", 3),
                                                                     (2, "DINSOS", 4)]
    assert steps[1].condition == {"field": "purpose", "op": "eq", "value": "Beasiswa"}
    assert steps[1].forward_to == ["DPUPR"]
    response = admin_client.post("/admin/services/SKTM/steps/1/edit",
                                 data={**step, "stage": "4"})
    assert "without gaps" in response.get_data(as_text=True)
    admin_client.post("/admin/services/SKTM/steps/1/remove")
    assert len(draft(app_session).steps) == 1


def test_the_preview_shows_pages_show_if_notes_and_the_standard(admin_client, app_session):
    make_catalog(app_session, service_def("PBG", fields=[
        field_def("floor_area", "number"),
        field_def("architect", page=2, show_if={"field": "floor_area", "op": "gt", "value": 500}),
    ]))
    page = admin_client.get("/admin/services/PBG/preview").get_data(as_text=True)
    # Each screen as the kiosk draws it: its stylesheet, its step count (identity and check
    # around the two form pages), its page title and "(tidak wajib)".
    assert page.count("/static/kiosk/kiosk.css") == 2
    assert "Langkah 2 dari 4" in page and "Langkah 3 dari 4" in page
    assert "Hanya tampil bila" in page and "lebih dari" in page and "500" in page
    assert "Fotokopi KTP" in page and "Isi formulir" in page


def test_a_new_service_is_created_in_the_browser_and_published(admin_client, app_session):
    response = admin_client.post("/admin/services/new", data={
        "code": "siup", "category": "sosial", "name_id": "Izin usaha",
        "name_en": "Business permit", "agency": "DPMPTSP"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/admin/services/SIUP/")
    assert admin_client.get("/api/v1/services/SIUP").status_code == 404
    overview = admin_client.get("/admin/services/SIUP/").get_data(as_text=True)
    assert "belum pernah diterbitkan" in overview and "Buang draf" not in overview
    admin_client.post("/admin/services/SIUP/publish")
    assert admin_client.get("/api/v1/services/SIUP").get_json()["version"] == 1


def test_every_service_page_renders(admin_client):
    for path in ("/admin/", "/admin/services/", "/admin/services/new", "/admin/services/SKTM/",
                 "/admin/services/SKTM/standard", "/admin/services/SKTM/fields/",
                 "/admin/services/SKTM/fields/new", "/admin/services/SKTM/fields/purpose/edit",
                 "/admin/services/SKTM/steps/", "/admin/services/SKTM/steps/new",
                 "/admin/services/SKTM/steps/0/edit", "/admin/services/SKTM/preview",
                 "/admin/audit/", "/admin/agencies/new", "/admin/users/new",
                 "/admin/holidays/new"):
        assert admin_client.get(path).status_code == 200, path



def test_the_admin_pages_speak_english_on_request(app, client):
    """Without a shared app context, so each request picks its own language."""
    from kiosk.extensions import db
    from services.models import Role
    from tests.builders import login, make_user

    with app.app_context():
        make_catalog(db.session)
        make_user(db.session, "boss", Role.ADMIN)
    login(client, "boss")
    client.post("/admin/services/SKTM/standard", data=STANDARD)
    page = client.get("/admin/services/SKTM/?lang=en").get_data(as_text=True)
    assert "Publish version 2" in page and "Version history" in page
    assert ">Services</a>" in page and ">Agencies</a>" in page
    preview = client.get("/admin/services/SKTM/preview?lang=en").get_data(as_text=True)
    assert "Copy of KTP" in preview and "Purpose (en)" in preview and "Step 2 of 3" in preview
    response = client.post("/admin/agencies/new", data={"code": "x", "kind": "dinas",
                                                        "name_id": "A", "name_en": "A"})
    assert "Code of 2-40 characters" in response.get_data(as_text=True)
    assert "Terbitkan versi 2" in client.get("/admin/services/SKTM/?lang=id").get_data(
        as_text=True)
