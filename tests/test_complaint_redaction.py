"""A confidential complainant's phone, NIK and name stay out of what agencies and the public
read, however the citizen wrote them (issue 28, item 1): one normaliser for redaction, the
publish guard and the logs; no initials; and a flag for what no stored value can match."""

from __future__ import annotations

import pytest

from services.city_calendar import DEFAULT_CALENDAR
from services.clock import utcnow
from services.complaints import handling
from services.complaints.privacy import personal_data_suspects, redact
from services.complaints.read_models import agency_complaint
from services.errors import ValidationFailed
from services.models import Complaint, Privacy
from services.privacy import find_personal_numbers, mask_personal_data
from tests.builders import login
from tests.builders.complaints import NAME, file, make_complaint_city

# The complainant's own phone 081234567890 and NIK 3578014506900001 as citizens write them.
WRITTEN_PHONES = ("0812-3456-7890", "+62 812 3456 7890", "0812.3456.7890", "(0812) 3456 7890",
                  "62-812-3456-7890", "+62(812)34567890", "0812 - 3456 - 7890")
WRITTEN_NIKS = ("3578 0145 0690 0001", "3578.0145.0690.0001", "3578-0145-0690-0001")
# Numbers nobody stored: shaped like a phone or NIK, written with separators.
OTHER_NUMBERS = ("hubungi 0813-9999-0001", "+62 857 1111 2222", "NIK 3273 0145 0190 0099")
NAME_FORMS = ("siti aminah wulandari", "SITI AMINAH", "Wulandari", "siti-aminah", "aminah")


@pytest.mark.parametrize("written", WRITTEN_PHONES + WRITTEN_NIKS + OTHER_NUMBERS)
def test_numbers_are_found_with_any_separators_and_prefix(written):
    (found,) = find_personal_numbers(f"tolong {written} ya")
    assert found.kind in ("phone", "nik")
    assert not any(c.isdigit() for c in mask_personal_data(f"tolong {written} ya"))


@pytest.mark.parametrize("text", ["tanggal 12-08-2026 jam 10.30", "biaya Rp 1.250.000",
                                  "RT 03 RW 05 nomor 17", "antre 5 jam, nomor 0123"])
def test_dates_money_and_addresses_are_not_personal_numbers(text):
    assert find_personal_numbers(text) == []
    assert mask_personal_data(text) == text


def confidential(**changes) -> Complaint:
    values = {"complainant_name": NAME, "complainant_phone": "081234567890",
              "complainant_nik": "3578014506900001", "privacy": Privacy.CONFIDENTIAL}
    return Complaint(**{**values, **changes})


@pytest.mark.parametrize("written", WRITTEN_PHONES + WRITTEN_NIKS + NAME_FORMS)
def test_redaction_takes_out_the_complainants_own_values_however_written(written):
    text = f"Pelapor: {written}. Antrean lima jam di Puskesmas."
    redacted = redact(text, confidential())
    assert redacted == "Pelapor: [...]. Antrean lima jam di Puskesmas."


def test_redaction_takes_out_a_stored_landline_written_otherwise():
    complaint = confidential(complainant_phone="0315551234")
    assert redact("telp (031) 555-1234", complaint) == "telp [...]"


def test_redaction_leaves_no_initials():
    redacted = redact("Saya Siti Aminah Wulandari, bu Siti, mengadu.", confidential())
    assert redacted == "Saya [...], bu [...], mengadu."
    assert "S." not in redacted and "A." not in redacted and "W." not in redacted


@pytest.fixture
def staff(session):
    return make_complaint_city(session)


LEAKY = ("Saya Siti Aminah Wulandari, hubungi 0812-3456-7890 atau +62 812 3456 7890 atau "
         "0812.3456.7890, NIK 3578 0145 0690 0001. Antrean lima jam di Puskesmas Sukamaju.")


def test_the_agency_reads_no_number_no_name_and_no_initials(session, staff):
    complaint = file(session, privacy="confidential", description=LEAKY).complaint
    handling.forward_complaint(session, actor=staff["koordinator"],
                               tracking_code=complaint.tracking_code, agency_codes=["DINKES"],
                               calendar=DEFAULT_CALENDAR, now=utcnow())
    session.commit()
    view = agency_complaint(session, actor=staff["clerk.dinkes"],
                            tracking_code=complaint.tracking_code, lang="id")
    assert view.text == ("Saya [...], hubungi [...] atau [...] atau [...], NIK [...]. "
                         "Antrean lima jam di Puskesmas Sukamaju.")
    assert view.complainant is Privacy.CONFIDENTIAL  # named "Rahasia" by the web layer: no initials


def test_the_coordinators_own_agency_text_is_redacted_the_same_way(session, staff):
    complaint = file(session, privacy="confidential", description=LEAKY).complaint
    handling.forward_complaint(session, actor=staff["koordinator"],
                               tracking_code=complaint.tracking_code, agency_codes=["DINKES"],
                               agency_text="Bu SITI (0812 3456 7890) menunggu lama.",
                               calendar=DEFAULT_CALENDAR, now=utcnow())
    assert complaint.agency_text == "Bu [...] ([...]) menunggu lama."


@pytest.mark.parametrize("leak", ["0812-3456-7890", "+62 812 3456 7890", "0812.3456.7890",
                                  "3578 0145 0690 0001", "SITI", "wulandari",
                                  "0857-1111-2222"])
@pytest.mark.parametrize("privacy", ["confidential", "public"])
def test_publishing_refuses_personal_data_written_with_separators(session, staff, leak, privacy):
    complaint = file(session, privacy=privacy).complaint
    handling.forward_complaint(session, actor=staff["koordinator"],
                               tracking_code=complaint.tracking_code, agency_codes=["DINKES"],
                               calendar=DEFAULT_CALENDAR, now=utcnow())
    with pytest.raises(ValidationFailed) as refused:
        handling.publish_complaint(session, actor=staff["koordinator"],
                                   tracking_code=complaint.tracking_code,
                                   public_text=f"Antrean lama di Puskesmas, pelapor {leak}.",
                                   now=utcnow())
    assert refused.value.fields["public_text"].code == "complaint.remove_personal_data"
    assert not complaint.published


@pytest.mark.parametrize(("text", "suspect"), [
    ("Nama saya Budi Santoso, antrean lama.", "Budi Santoso"),
    ("Petugas membentak pak Joko di loket.", "Joko"),
    ("Kemarin Rudi Hartono dan saya menunggu lama.", "Rudi Hartono"),
    ("Hubungi saya di budi@contoh.id ya.", "budi@contoh.id"),
    ("Nomor KK 3578 0101 0202 0003 salah.", "3578 0101 0202 0003"),
    ("Telepon rumah 031 555 1234 5.", "031 555 1234 5"),
])
def test_text_that_looks_like_a_name_or_number_is_flagged(text, suspect):
    assert suspect in personal_data_suspects(text)


@pytest.mark.parametrize("text", ["Antrean lima jam di Puskesmas Sukamaju.",
                                  "Jalan rusak di Kecamatan Utara sejak Januari.",
                                  "Saya [...] menunggu di Dinas Kesehatan."])
def test_ordinary_text_is_not_flagged(text):
    assert personal_data_suspects(text) == []


def test_the_coordinator_is_shown_what_to_redact_by_hand_before_forwarding(client, app_session):
    make_complaint_city(app_session)
    complaint = file(app_session, privacy="anonymous",
                     description="Nama saya Budi Santoso, petugas loket membentak saya.").complaint
    app_session.commit()
    login(client, "koordinator.pengaduan")
    page = client.get(f"/koordinator/pengaduan/{complaint.tracking_code}").get_data(as_text=True)
    assert 'data-test="suspects-agency_text"' in page and "<mark>Budi Santoso</mark>" in page
