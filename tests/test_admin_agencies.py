"""Administrators keep the agencies: list, create, edit, deactivate; every change audited."""

from sqlalchemy import select

from services.models import Agency, AgencyKind
from tests.builders import field_def, make_catalog, service_def, step_def
from tests.builders.admin import audit_records

NEW_AGENCY = {"code": "DINKES", "kind": "dinas", "name_id": "Dinas Kesehatan",
              "name_en": "Health Office", "phone": "031-123", "active": "y"}


def agency(session, code):
    session.expire_all()
    return session.scalar(select(Agency).where(Agency.code == code))


def test_the_list_shows_every_agency(admin_client):
    page = admin_client.get("/admin/agencies/").get_data(as_text=True)
    assert "DPMPTSP" in page and "DINSOS" in page and "Tambah instansi" in page


def test_an_admin_creates_an_agency_and_it_is_audited(admin_client, app_session):
    response = admin_client.post("/admin/agencies/new", data=NEW_AGENCY)
    assert response.status_code == 302
    created = agency(app_session, "DINKES")
    assert created.name_en == "Health Office" and created.kind is AgencyKind.DINAS
    assert [(r.action, r.entity_key) for r in audit_records(app_session, "agency")] == [
        ("create", "DINKES")]


def test_a_bad_agency_code_changes_nothing_and_says_why(admin_client, app_session):
    response = admin_client.post("/admin/agencies/new", data={**NEW_AGENCY, "code": "dinas kesehatan"})
    assert response.status_code == 200
    assert "Kode 2-40 karakter" in response.get_data(as_text=True)
    assert agency(app_session, "DINAS KESEHATAN") is None
    assert audit_records(app_session, "agency") == []


def test_a_taken_agency_code_is_refused(admin_client, app_session):
    response = admin_client.post("/admin/agencies/new", data={**NEW_AGENCY, "code": "DINSOS"})
    assert "Kode sudah dipakai" in response.get_data(as_text=True)
    assert agency(app_session, "DINSOS").name_id == "Agency DINSOS"


def test_an_admin_edits_an_agency_but_not_its_code(admin_client, app_session):
    response = admin_client.post("/admin/agencies/DINSOS/edit",
                                 data={**NEW_AGENCY, "code": "OTHER", "name_id": "Dinas Sosial"})
    assert response.status_code == 302
    edited = agency(app_session, "DINSOS")
    assert edited.name_id == "Dinas Sosial" and agency(app_session, "OTHER") is None
    (record,) = audit_records(app_session, "agency")
    assert record.action == "update" and record.changes["name_id"] == "Dinas Sosial"


def test_an_edit_without_a_name_changes_nothing(admin_client, app_session):
    response = admin_client.post("/admin/agencies/DINSOS/edit", data={**NEW_AGENCY, "name_id": ""})
    assert response.status_code == 200
    assert "has-error" in response.get_data(as_text=True)
    assert agency(app_session, "DINSOS").name_id == "Agency DINSOS"


def test_an_unused_agency_is_deactivated(admin_client, app_session):
    assert admin_client.post("/admin/agencies/DINSOS/deactivate").status_code == 302
    assert agency(app_session, "DINSOS").active is False
    assert [r.action for r in audit_records(app_session, "agency")] == ["deactivate"]


def test_an_agency_that_active_services_route_to_stays_active(admin_client, app_session):
    response = admin_client.post("/admin/agencies/DPMPTSP/deactivate", follow_redirects=True)
    assert "SKTM" in response.get_data(as_text=True)
    assert agency(app_session, "DPMPTSP").active is True
    assert audit_records(app_session, "agency") == []


def test_an_agency_chosen_by_an_answer_also_counts_as_in_use(session):
    from services.catalog.agencies import services_routed_to

    district = field_def("kecamatan", type="choice", choices=[
        {"value": "a", "label": {"id": "A", "en": "A"}}, {"value": "b", "label": {"id": "B", "en": "B"}}])
    make_catalog(session, service_def("SKU", fields=[district], workflow=[step_def(
        None, agency_from={"field": "kecamatan", "map": {"a": "DINSOS", "b": "DPUPR"}})]))
    dinsos = session.scalar(select(Agency).where(Agency.code == "DINSOS"))
    assert services_routed_to(session, dinsos) == ["SKU"]


def test_an_admin_gives_an_agency_a_six_day_week_and_its_maklumat(admin_client, app_session):
    response = admin_client.post("/admin/agencies/new", data={
        **NEW_AGENCY, "work_week": "mon-sat", "counts_cuti_bersama": "y",
        "maklumat_id": "Kami sanggup melayani sesuai standar pelayanan.",
        "maklumat_en": "We undertake to serve by the service standard.",
        "maklumat_signer": "dr. Siti Rahma, Kepala Dinas", "maklumat_date": "2026-01-05"})
    assert response.status_code == 302
    created = agency(app_session, "DINKES")
    assert (created.work_week, created.counts_cuti_bersama) == ("mon-sat", True)
    assert created.maklumat_signer == "dr. Siti Rahma, Kepala Dinas"
    assert str(created.maklumat_date) == "2026-01-05"


def test_a_maklumat_without_its_signer_and_date_is_refused(admin_client, app_session):
    response = admin_client.post("/admin/agencies/new", data={
        **NEW_AGENCY, "maklumat_id": "Kami sanggup melayani."})
    assert response.status_code == 200
    assert "perlu teksnya, penandatangannya dan tanggalnya" in response.get_data(as_text=True)
    assert agency(app_session, "DINKES") is None
