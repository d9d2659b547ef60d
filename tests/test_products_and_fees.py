"""What a city issues and charges, end to end on the demo catalog: each product kind (document,
external, item, answer) and fee kind (free, tariff, assessed) through the kiosk pages, the
receipt, the clerk, the citizen's status page and the PDF (or none); PAdES signing and its
check; verification keys that rotate; the SLA clock from "berkas lengkap"."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

from services.demo import DEMO_PASSWORD, load_demo
from services.documents import VerificationKeys, verification_code, verify_document
from services.documents.signing import (
    create_demo_certificates,
    load_trust_roots,
    outside_event_loop,
)
from services.kiosks.printing import receipt_data
from services.models import Channel, IssuedDocument, Service, ServiceRequest, User
from services.submission import Submission, submit_request
from services.timeline import citizen_timeline
from services.workflow.queues import claim_next_task
from services.workflow.tasks import StepRecord, approve_task
from services.working_days import due_at
from tests.builders import PINS, login, make_catalog, make_user, service_def
from tests.builders.kiosk import enrol, make_kiosk
from tests.builders.payments import pay_bill
from tests.builders.workflow import APPLICANT

MONDAY = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # 09.00 WIB
PBG = {"building_function": "hunian", "building_address": "Jl. Kenanga 7, Kota Contoh",
       "land_certificate_number": "SHM 1234", "floor_area_m2": 750, "floors": 2,
       "has_previous_permit": False}
KK = {"kk_number": "3578010101200001", "change_reason": "perubahan_data",
      "change_detail": "Pekerjaan kepala keluarga berubah", "pickup_method": "loket"}
KTP = {"replacement_reason": "rusak", "pickup_location": "mpp"}
SAMPAH = {"waste_source": "usaha", "pickup_address": "Jl. Melati 3", "volume_m3": "2,5",
          "frequency": "sekali", "pickup_date": "2026-03-12"}


def apply(session, code, answers, now=MONDAY):
    result = submit_request(session, Submission(service_code=code, applicant=APPLICANT,
                                                answers=answers, channel=Channel.KIOSK),
                            pins=PINS, now=now)
    session.commit()
    return result


def clerks(session):
    return {user.username: user for user in session.scalars(select(User))}


def work(session, username, request, when, record=None):
    clerk = clerks(session)[username]
    task = claim_next_task(session, actor=clerk, now=when)
    assert task is not None and task.request_id == request.id, username
    approve_task(session, actor=clerk, task_id=task.id, now=when, record=record)
    session.commit()
    return task


@pytest.fixture
def demo(session):
    load_demo(session)
    session.commit()


@pytest.fixture
def city_certificate(app, tmp_path):
    """The demo CA and signing certificate, configured as the city's."""
    made = create_demo_certificates(tmp_path / "signing", city="Kota Contoh", passphrase="rahasia")
    app.config.update(SIGNING_P12=str(made.p12), SIGNING_PASSPHRASE="rahasia",
                      SIGNING_TRUST_ROOTS=[str(made.ca_pem)])
    return made


# ------------------------------------------------------------------ kiosk pages: fee wording

@pytest.mark.parametrize(("code", "fee", "not_shown"), [
    ("PBG", "Retribusi dihitung setelah verifikasi", "Gratis"),
    ("IZIN-REKLAME", "Pajak ditetapkan Bapenda setelah verifikasi (SKPD)", "Retribusi"),
    ("KK-PERUBAHAN", "Gratis", "Retribusi dihitung"),
])
def test_the_kiosk_tile_and_service_page_state_each_fee_kind(client, app_session, code, fee,
                                                           not_shown):
    from services.catalog.queries import active_service

    load_demo(app_session)
    make_kiosk(app_session)
    enrol(client)
    page = client.get(f"/kiosk/service/{code}").get_data(as_text=True)
    assert f'data-test="fee">{fee}' in page and f'data-test="fee">{not_shown}' not in page
    assert "Dasar hukum" in page and "Penanganan pengaduan" in page
    category = active_service(app_session, code).category.code
    tiles = client.get(f"/kiosk/category/{category}").get_data(as_text=True)
    assert fee in tiles


def test_a_tariff_is_the_amount_its_perda_sets(client, app_session):
    make_catalog(app_session, service_def("SKTM", fee_kind="tariff", fee=150000,
                                          fee_basis={"id": "Perda Kota Contoh 1/2024 Pasal 9",
                                                     "en": "City Regulation 1/2024 Art. 9"}))
    make_kiosk(app_session)
    enrol(client)
    page = client.get("/kiosk/service/SKTM").get_data(as_text=True)
    assert "Rp150.000" in page and "Perda Kota Contoh 1/2024 Pasal 9" in page
    standard = client.get("/layanan/SKTM").get_data(as_text=True)
    assert "Rp150.000" in standard


# ------------------------------------------------------ document: PBG, assessed fee, signed PDF

def test_a_pbg_ends_with_a_signed_pdf_and_its_fee_assessed_by_a_step(
        client, app, app_session, city_certificate, tmp_path, artifacts, worded):
    load_demo(app_session)
    app_session.commit()
    submitted = apply(app_session, "PBG", PBG)
    request = submitted.request
    receipt = receipt_data(request, city="Kota Contoh", base_url="http://x", pin=None)
    assert receipt["fee_text"] == "Retribusi dihitung setelah verifikasi"
    # The clock counts from "berkas lengkap": no due date until the file is declared complete.
    assert request.due_at is None
    assert "berkas dinyatakan lengkap" in receipt["expected_text"]

    day = timedelta(days=1)
    work(app_session, "clerk.dpmptsp", request, MONDAY + day)
    assert request.file_complete_at == MONDAY + day
    assert request.due_at == due_at(MONDAY + day, 11, set(_holidays(app_session)), "Asia/Jakarta")
    work(app_session, "clerk.pupr", request, MONDAY + 2 * day)
    # Dinas PUPR's levy step computes the SKRD from the floor area: nothing to type.
    task = claim_next_task(app_session, actor=clerks(app_session)["clerk.pupr"],
                           now=MONDAY + 3 * day)
    app_session.commit()
    login(client, "clerk.pupr", DEMO_PASSWORD)
    page = client.get(f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    assert 'data-test="fee-record"' not in page and 'data-test="external-record"' not in page
    client.post(f"/clerk/tasks/{task.id}/approve", data={"note": "ok"})
    app_session.expire_all()
    request = app_session.get(ServiceRequest, request.id)
    assert (request.status.value, request.assessed_fee) == ("awaiting_payment", 6_750_000)
    client.post("/auth/logout")
    pay_bill(app_session, request, MONDAY + 3 * day)
    task = claim_next_task(app_session, actor=clerks(app_session)["clerk.dpmptsp"],
                           now=MONDAY + 4 * day)
    app_session.commit()
    login(client, "clerk.dpmptsp", DEMO_PASSWORD)
    client.post(f"/clerk/tasks/{task.id}/approve", data={"note": "ok"})
    app_session.expire_all()
    request = app_session.get(ServiceRequest, request.id)
    assert request.status.value == "approved"
    assert f"Rp6.750.000 (ketetapan {request.fee_reference})" in client.get(
        f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    texts = worded(citizen_timeline(request, "id"), "id")
    assert any("Rp6.750.000" in text for text in texts)
    assert "Dokumen Anda sudah terbit" in texts[-1]

    pdf = client.get(f"/clerk/requests/{request.tracking_code}/document.pdf").data
    assert client.get(f"/clerk/requests/{request.tracking_code}/document.pdf").data == pdf
    (artifacts / "pbg-signed.pdf").write_bytes(pdf)  # rendered to PNG and looked at
    roots = load_trust_roots([str(city_certificate.ca_pem)])
    status = outside_event_loop(lambda: validate_pdf_signature(
        PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0],
        ValidationContext(trust_roots=roots)))
    assert status.bottom_line and status.intact and status.trusted
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].sig_object["/SubFilter"] \
        == "/ETSI.CAdES.detached"

    changed = bytearray(pdf)
    changed[len(pdf) // 3] ^= 0x01  # one changed byte inside the signed range
    broken = outside_event_loop(lambda: validate_pdf_signature(
        PdfFileReader(io.BytesIO(bytes(changed))).embedded_signatures[0],
        ValidationContext(trust_roots=roots)))
    assert not broken.intact and not broken.bottom_line

    document = app_session.scalar(select(IssuedDocument))
    code = verification_code(VerificationKeys.parse(app.config["VERIFY_KEYS"]), document)
    verified = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Penanda Tangan Dokumen Kota Contoh" in verified
    assert "Utuh dan sah" in verified


def _holidays(session):
    from services.workflow.routing import holidays

    return holidays(session)


def test_an_unsigned_document_does_not_claim_to_need_no_wet_signature(client, app, app_session,
                                                                        tmp_path):
    import subprocess

    make_catalog(app_session)  # one step at DPMPTSP, a document
    clerk = make_user(app_session, "clerk1")
    app.config.update(SIGNING_P12="")
    request = apply(app_session, "SKTM", {"purpose": "Beasiswa"}).request
    task = claim_next_task(app_session, actor=clerk, now=MONDAY)
    approve_task(app_session, actor=clerk, task_id=task.id, now=MONDAY)
    app_session.commit()
    login(client, "clerk1")
    pdf = client.get(f"/clerk/requests/{request.tracking_code}/document.pdf").data
    (tmp_path / "sktm.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "sktm.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "tanpa tanda tangan basah" not in text and "Salinan tanpa tanda tangan" in text
    assert "9 Maret 2026" in text and "WIB" in text
    assert not PdfFileReader(io.BytesIO(pdf)).embedded_signatures


# -------------------------------------------------------------- external: KK from SIAK

def test_a_kk_change_ends_with_the_clerk_recording_the_siak_number_and_the_citizen_sees_it(
        client, app_session):
    load_demo(app_session)
    app_session.commit()
    submitted = apply(app_session, "KK-PERUBAHAN", KK)
    request = submitted.request
    receipt = receipt_data(request, city="Kota Contoh", base_url="http://x", pin=None)
    assert receipt["fee_text"] == "Gratis" and receipt["submitted_text"].endswith("09.00 WIB")
    task = claim_next_task(app_session, actor=clerks(app_session)["clerk.disdukcapil"],
                           now=MONDAY)
    app_session.commit()
    login(client, "clerk.disdukcapil", DEMO_PASSWORD)
    page = client.get(f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    assert 'data-test="external-record"' in page and "SIAK" in page
    missing = client.post(f"/clerk/tasks/{task.id}/approve", data={"note": "ok"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Tuliskan nomor produk" in missing
    client.post(f"/clerk/tasks/{task.id}/approve",
                data={"note": "ok", "external_number": "3578-KK-09032026-0007",
                      "external_date": "2026-03-09"})
    app_session.expire_all()
    request = app_session.get(ServiceRequest, request.id)
    assert request.status.value == "approved"
    assert (request.external_number, request.external_issued_on) == (
        "3578-KK-09032026-0007", date(2026, 3, 9))
    assert app_session.scalar(select(IssuedDocument)) is None  # SIAK issues it, not e-Kiosk
    assert client.get(f"/clerk/requests/{request.tracking_code}/document.pdf").status_code == 404
    client.post("/auth/logout")

    status = client.post("/status", data={"tracking_code": request.tracking_code,
                                          "pin": submitted.pin}).get_data(as_text=True)
    assert "SIAK nomor 3578-KK-09032026-0007, tanggal 9 Maret 2026" in status
    assert "Dokumen Anda sudah terbit" not in status
    assert "Produk telah terbit di SIAK dengan nomor 3578-KK-09032026-0007" in status
    assert "Tempat pengambilan" in status and "TTE" in status


# --------------------------------------------------------------------- item: the KTP-el card

def test_a_ktp_el_is_an_item_to_collect_and_yields_no_pdf(session, demo, worded):
    request = apply(session, "KTP-EL-GANTI", KTP).request
    work(session, "clerk.disdukcapil", request, MONDAY)
    assert request.status.value == "approved"
    assert session.scalar(select(IssuedDocument)) is None
    last = worded(citizen_timeline(request, "id")[-1], "id")
    assert last == "Permohonan Anda disetujui. Barang Anda siap diambil."
    assert "Dokumen" not in last


# ---------------------------------------------- answer: waste pick-up, assessed by a DLH survey

def test_a_waste_pick_up_is_answered_and_its_levy_assessed_by_the_dlh_survey(session, demo,
                                                                            worded):
    request = apply(session, "ANGKUT-SAMPAH", SAMPAH).request
    assert request.answers["volume_m3"] == 2.5  # "2,5" read the Indonesian way
    work(session, "clerk.dlh", request, MONDAY, record=StepRecord(assessed_fee=75_000))
    assert (request.status.value, request.assessed_fee) == ("awaiting_payment", 75_000)
    pay_bill(session, request, MONDAY)
    assert request.status.value == "approved"
    assert session.scalar(select(IssuedDocument)) is None
    texts = worded(citizen_timeline(request, "en"), "en")
    assert texts[-1] == "Your request has been answered."
    assert not any("document" in text.lower() for text in texts)
    receipt = receipt_data(request, city="Kota Contoh", base_url="http://x", pin=None)
    assert receipt["fee_text"] == f"Rp75.000 (ketetapan {request.fee_reference})"
    assert request.fee_reference.startswith("SKRD/DLH/")


def test_the_reklame_tax_is_assessed_by_bapenda(session, demo):
    request = apply(session, "IZIN-REKLAME", {
        "sign_type": "neon_box", "sign_text": "Warung Siti", "location_address": "Jl. Mawar 1",
        "width_m": "1,5", "height_m": "0,5", "duration_months": 12,
        "start_date": "2026-03-20"}).request
    assert [t.agency.code for t in request.tasks if t.step.assesses_fee] == ["BAPENDA"]
    work(session, "clerk.dpmptsp", request, MONDAY)
    # The SKPD is computed from the sign's size and months, whatever a clerk might type.
    work(session, "clerk.bapenda", request, MONDAY, record=StepRecord(assessed_fee=540_000))
    assert request.status.value == "awaiting_payment" and request.assessed_fee == 168_800
    pay_bill(session, request, MONDAY)
    work(session, "clerk.dpmptsp", request, MONDAY)
    assert request.status.value == "approved" and request.fee_reference.startswith("SKPD/")


# ------------------------------------------------------------------ keys, SLA, round trip

def test_rotating_the_verification_key_keeps_old_documents_verifiable(session, demo):
    request = apply(session, "PBG", {**PBG, "floor_area_m2": 100}).request
    work(session, "clerk.dpmptsp", request, MONDAY)
    work(session, "clerk.pupr", request, MONDAY)  # every PBG is consulted with the TPA/TPT
    work(session, "clerk.pupr", request, MONDAY)  # the levy: its SKRD
    pay_bill(session, request, MONDAY)
    work(session, "clerk.dpmptsp", request, MONDAY)
    document = session.scalar(select(IssuedDocument))
    old_keys = VerificationKeys.parse("2026a:first-secret", legacy="the-old-secret-key")
    old_code = verification_code(old_keys, document)
    rotated = VerificationKeys.parse("2026b:second-secret,2026a:first-secret",
                                     legacy="the-old-secret-key")
    assert verify_document(session, rotated, old_code).state == "valid"
    assert verification_code(rotated, document).startswith("2026b~")
    # A code from before key ids (signed with SECRET_KEY) still verifies through ``legacy``.
    from itsdangerous import URLSafeSerializer

    from services.documents import SALT

    legacy_code = URLSafeSerializer("the-old-secret-key", salt=SALT).dumps(document.number)
    assert verify_document(session, rotated, legacy_code).state == "valid"
    retired = VerificationKeys.parse("2026b:second-secret")
    assert verify_document(session, retired, old_code).state == "invalid"


@pytest.mark.parametrize(("start", "due_day"), [
    (datetime(2026, 3, 9, 2, 0, tzinfo=UTC), date(2026, 3, 9)),  # Monday: the same day
    (datetime(2026, 3, 7, 2, 0, tzinfo=UTC), date(2026, 3, 9)),  # Saturday: Monday
    (datetime(2026, 3, 19, 2, 0, tzinfo=UTC), date(2026, 3, 25)),  # Nyepi and Lebaran leave
])
def test_zero_working_days_means_the_same_working_day(session, demo, start, due_day):
    from zoneinfo import ZoneInfo

    due = due_at(start, 0, set(_holidays(session)), "Asia/Jakarta")
    assert due.astimezone(ZoneInfo("Asia/Jakarta")).date() == due_day


def test_the_exported_demo_catalog_keeps_kinds_fees_and_the_legal_basis(runner, app_session,
                                                                         tmp_path):
    from services.catalog.transfer import read_catalog_file

    assert runner.invoke(args=["catalog", "import", "demo/kota_contoh.yaml"]).exit_code == 0
    out = tmp_path / "out.yaml"
    assert runner.invoke(args=["catalog", "export", "-o", str(out)]).exit_code == 0
    exported = {s["code"]: s for s in read_catalog_file(out)["services"]}
    assert exported["PBG"]["fee_kind"] == "assessed" and exported["PBG"]["product_kind"] \
        == "document"
    assert exported["KK-PERUBAHAN"]["external_system"] == "SIAK"
    assert exported["KTP-EL-GANTI"]["product_kind"] == "item"
    assert exported["NIB-UMK"]["external_system"] == "OSS-RBA"
    assert all(s["dasar_hukum"]["id"] for s in exported.values())
    def wording(code: str) -> str:
        return " ".join(item["name"]["id"] for item in exported[code]["requirements"])
    requirements = " ".join(wording(code) for code in exported)
    assert "Fotokopi KTP-el" not in requirements and "saksi" not in requirements
    assert "IDI" not in wording("SIP-DOKTER")
    assert "RT/RW" not in wording("KK-PERUBAHAN")
    again = runner.invoke(args=["catalog", "import", str(out)])
    assert "0 new services, 0 new versions" in again.output


def test_reklame_is_shown_as_a_tax_assessed_by_bapenda_not_a_levy(session, demo):
    from services.catalog.standard import fee_name, fee_text

    version = session.scalar(select(Service).where(Service.code == "IZIN-REKLAME")).current_version
    assert fee_text(version, "id") == "Pajak ditetapkan Bapenda setelah verifikasi (SKPD)"
    assert fee_name(version) == "Pajak / Tax"
    pbg = session.scalar(select(Service).where(Service.code == "PBG")).current_version
    assert fee_text(pbg, "id") == "Retribusi dihitung setelah verifikasi"
