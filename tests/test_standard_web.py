"""The standard's pages: the admin's management components, SK and consultations; the public
/layanan page with the SK and the Maklumat; the kiosk's attract screen with the Maklumat."""

from datetime import date

from sqlalchemy import select

from services.models import Agency, Service, VersionState

MAKLUMAT = "Kami sanggup menyelenggarakan pelayanan sesuai standar."


def draft_of(session, code="SKTM"):
    session.expire_all()
    service = session.scalar(select(Service).where(Service.code == code))
    return next(v for v in service.versions if v.state is VersionState.DRAFT)


def test_an_admin_fills_the_management_components_and_records_a_consultation(admin_client,
                                                                             app_session):
    page = admin_client.get("/admin/services/SKTM/management").get_data(as_text=True)
    assert "Kompetensi pelaksana" in page and "Evaluasi kinerja pelaksana" in page
    assert "Belum diisi" in page
    response = admin_client.post("/admin/services/SKTM/management", data={
        "competence_id": "Lulusan D3, terlatih layanan prima", "competence_en": "Diploma",
        "staffing_id": "2 petugas", "staffing_en": "2 officers",
        "decree_number": "Keputusan Camat 7/2026", "decree_date": "2026-02-01"})
    assert response.status_code == 302
    response = admin_client.post("/admin/services/SKTM/consultations", data={
        "held_on": "2026-01-20", "participants": "Warga & RT/RW", "summary": "Syarat dikurangi"})
    assert response.status_code == 302
    draft = draft_of(app_session)
    assert (draft.competence_id, draft.staffing_en) == ("Lulusan D3, terlatih layanan prima",
                                                        "2 officers")
    assert (draft.decree_number, draft.decree_date) == ("Keputusan Camat 7/2026",
                                                        date(2026, 2, 1))
    assert draft.consultations == [{"date": "2026-01-20", "participants": "Warga & RT/RW",
                                    "summary": "Syarat dikurangi"}]
    page = admin_client.get("/admin/services/SKTM/management").get_data(as_text=True)
    assert "Warga &amp; RT/RW" in page


def test_a_consultation_without_participants_is_refused_and_changes_nothing(admin_client,
                                                                            app_session):
    response = admin_client.post("/admin/services/SKTM/consultations", data={
        "held_on": "2026-01-20", "participants": " ", "summary": "Syarat dikurangi"})
    assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)
    service = app_session.scalar(select(Service).where(Service.code == "SKTM"))
    assert all(v.state is not VersionState.DRAFT for v in service.versions)


def test_publishing_without_sk_is_refused_when_the_city_asks_for_it(admin_client, app,
                                                                    app_session):
    app.config["STANDARD_NEEDS_DECREE"] = True
    admin_client.post("/admin/services/SKTM/management", data={"staffing_id": "2 petugas"})
    response = admin_client.post("/admin/services/SKTM/publish", follow_redirects=True)
    assert "catat dulu nomor dan tanggal SK penetapan" in response.get_data(as_text=True)
    assert draft_of(app_session).state is VersionState.DRAFT


def give_maklumat(session):
    agency = session.scalar(select(Agency).where(Agency.code == "DPMPTSP"))
    agency.maklumat_id, agency.maklumat_en = MAKLUMAT, "We undertake to serve by the standard."
    agency.maklumat_signer, agency.maklumat_date = "Kepala DPMPTSP", date(2026, 1, 15)
    session.commit()


def test_layanan_shows_the_sk_the_consultations_and_the_units_maklumat(admin_client, client,
                                                                       app_session):
    give_maklumat(app_session)
    admin_client.post("/admin/services/SKTM/management", data={
        "decree_number": "Keputusan Camat 7/2026", "decree_date": "2026-02-01",
        "safety_id": "Data pemohon dijaga kerahasiaannya", "safety_en": "Data kept private",
        "competence_id": "Internal saja", "competence_en": "Internal only"})
    admin_client.post("/admin/services/SKTM/consultations", data={
        "held_on": "2026-01-20", "participants": "Warga", "summary": "Syarat dikurangi"})
    admin_client.post("/admin/services/SKTM/publish")
    page = client.get("/layanan/SKTM").get_data(as_text=True)
    assert "Keputusan Camat 7/2026 tanggal 1 Februari 2026" in page
    assert "Konsultasi publik 20 Januari 2026: Warga. Syarat dikurangi" in page
    assert "Jaminan keamanan dan keselamatan pelayanan" in page
    assert "Internal saja" not in page  # kompetensi pelaksana stays on the admin page
    assert MAKLUMAT in page and "Kepala DPMPTSP, 15 Januari 2026" in page


def test_the_a3_poster_prints_the_public_standard_and_escapes_catalog_text(
        admin_client, client, app_session, artifacts):
    from tests.builders.printing import pdf_text, require_tools

    require_tools("pdftotext")
    give_maklumat(app_session)
    admin_client.post("/admin/services/SKTM/management", data={
        "safety_id": "Data <dijaga> & aman", "safety_en": "Data kept <safe>",
        "decree_number": "Keputusan Camat 7/2026", "decree_date": "2026-02-01"})
    admin_client.post("/admin/services/SKTM/publish")
    response = client.get("/layanan/sktm/poster.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (artifacts / "poster-sktm.pdf").write_bytes(response.data)
    text = " ".join(pdf_text(response.data).split())
    assert b"/MediaBox [ 0 0 841.8898 1190.551 ]" in response.data  # A3 portrait, in points
    assert "STANDAR PELAYANAN" in text and "Data <dijaga> & aman" in text
    assert "Keputusan Camat 7/2026" in text and "MAKLUMAT PELAYANAN" in text
    assert client.get("/layanan/NOPE/poster.pdf").status_code == 404
