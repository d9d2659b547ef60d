"""The citizen's status page on their own phone (/status), where the receipt's QR code leads."""

from __future__ import annotations

import re

from services.codes import format_tracking_code
from services.kiosks.printing import status_url
from services.models import ServiceRequest
from tests.builders.workflow import make_city, submit


def test_the_receipt_qr_code_leads_to_the_public_status_page_with_the_code_filled_in(
        client, session):
    make_city(session)
    request, _pin = submit(session, "PBG")
    session.close()
    url = status_url("http://localhost", request.tracking_code)
    assert url.startswith("http://localhost/status?code=")
    page = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert f'value="{format_tracking_code(request.tracking_code)}"' in page
    # A phone page uses the phone's own keyboard, not the kiosk's on-screen one.
    assert 'inputmode="numeric"' in page and "data-keyboard" not in page


def test_code_and_pin_give_the_timeline_and_a_receipt_download(client, session):
    make_city(session)
    request, pin = submit(session, "PBG")
    session.close()
    page = client.post("/status", data={"tracking_code": request.tracking_code, "pin": pin})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Permohonan diterima." in text
    assert pin not in text
    receipt = re.search(r'id="receipt-pdf" href="([^"]+)"', text).group(1)
    pdf = client.get(receipt.replace("http://localhost", ""))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


def test_a_wrong_code_and_a_wrong_pin_answer_alike(client, session):
    make_city(session)
    request, pin = submit(session, "PBG")
    session.close()
    wrong_pin = client.post("/status", data={"tracking_code": request.tracking_code,
                                             "pin": "000000" if pin != "000000" else "111111"})
    wrong_code = client.post("/status", data={"tracking_code": "2222-2222-2", "pin": pin})
    message = "Kode pelacakan atau PIN tidak cocok."
    assert message in wrong_pin.get_data(as_text=True)
    assert message in wrong_code.get_data(as_text=True)
    assert wrong_pin.status_code == wrong_code.status_code == 200


def test_a_citizen_answers_a_return_for_information_from_their_phone(client, session):
    from tests.builders.workflow import returned_for_information

    request, pin = returned_for_information(session, fields=["floor_area"])
    shown = client.post("/status", data={"tracking_code": request.tracking_code, "pin": pin})
    page = shown.get_data(as_text=True)
    assert 'id="needs-info"' in page
    # The clerk's question and the flagged answer stand right above the answer box.
    box = page.index('id="note"')
    assert page.index("Kirim luas lantai 2.") < box and page.index("Floor Area") < box
    assert page.rindex('id="needs-info"', 0, box) < page.index("Kirim luas lantai 2.")
    assert "berhenti sementara" in page or 'id="expected"' not in page
    answered = client.post("/status/information", data={"note": "Lantai 2: 120 m2"})
    # Post, redirect, get: a refresh shows that it was sent, not an empty look-up.
    assert answered.status_code == 302
    for _ in range(2):
        again = client.get(answered.headers["Location"]).get_data(as_text=True)
        assert 'id="sent-notice"' in again and 'id="needs-info"' not in again
        assert "Lantai 2: 120 m2" in again
    session.expire_all()
    assert session.get(ServiceRequest, request.id).status.value == "in_progress"
    session.rollback()


def test_the_lookup_api_carries_a_short_lived_receipt_link(client, session):
    make_city(session)
    request, pin = submit(session, "PBG")
    session.close()
    body = client.post("/api/v1/requests/lookup",
                       json={"tracking_code": request.tracking_code, "pin": pin}).get_json()
    assert "/receipt/" in body["receipt_url"]
    assert client.get(body["receipt_url"].replace("http://localhost", "")).status_code == 200
