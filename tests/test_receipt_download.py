"""The citizen's receipt PDF behind a short-lived signed link."""

import pytest

import kiosk.receipts as receipts
from kiosk.receipts import signed_receipt_url
from services.codes import format_tracking_code
from tests.builders.printing import (
    issued_pin,
    make_kiosk,
    pdf_text,
    queued_receipt,
    require_tools,
)


def receipt_link(app, request):
    with app.test_request_context("/"):
        return signed_receipt_url(request, issued_pin(request))


def test_the_signed_link_serves_the_same_receipt_as_the_kiosk_prints(app, client,
                                                                     app_session):
    require_tools("pdftotext")
    request, _job = queued_receipt(app_session, make_kiosk(app_session))
    url = receipt_link(app, request)
    assert url.startswith("http://localhost/receipt/")
    assert issued_pin(request) not in url
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    text = pdf_text(answer.data)
    assert format_tracking_code(request.tracking_code) in text
    assert f"PIN: {issued_pin(request)}" in text
    assert "KIOSK-MPP-01" in text


def test_the_link_uses_the_public_base_url(app, app_session):
    app.config["PUBLIC_BASE_URL"] = "https://layanan.kotacontoh.go.id/"
    request, _job = queued_receipt(app_session, make_kiosk(app_session))
    assert receipt_link(app, request).startswith("https://layanan.kotacontoh.go.id/receipt/")


def test_an_expired_link_says_so(app, client, app_session, monkeypatch):
    request, _job = queued_receipt(app_session, make_kiosk(app_session))
    url = receipt_link(app, request)
    monkeypatch.setattr(receipts, "RECEIPT_LINK_MAX_AGE", -1)
    answer = client.get(url)
    assert answer.status_code == 410 and "kedaluwarsa" in answer.get_data(as_text=True)


@pytest.mark.parametrize("token", ["not-a-token", "eyJyIjoxfQ.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"])
def test_a_forged_link_is_not_found(client, token):
    assert client.get(f"/receipt/{token}").status_code == 404


def test_a_link_signed_with_another_secret_is_not_found(app, client, app_session):
    request, _job = queued_receipt(app_session, make_kiosk(app_session))
    url = receipt_link(app, request)
    app.config["SECRET_KEY"] = "another-secret"
    assert client.get(url).status_code == 404
