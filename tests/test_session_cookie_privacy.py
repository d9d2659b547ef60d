"""The session cookie hides what it carries: decoding it, as anyone who holds the cookie can
decode a signed-only one, shows no NIK, name, phone or PIN; a tampered cookie is ignored."""

from __future__ import annotations

import base64
import contextlib
import re
import zlib

import pytest

from tests.builders.kiosk import NIK, PHONE, enrol, make_business_catalog, make_kiosk
from tests.test_anjungan import fill_in


def readable(cookie: str) -> str:
    """Everything an onlooker can get out of the cookie without a key: the way a signed Flask
    cookie is read (base64 of the payload, zlib when it starts with '.')."""
    texts = [cookie]
    payload = cookie.lstrip(".").split(".")[0]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except ValueError:
        return cookie
    texts.append(raw.decode("latin-1"))
    with contextlib.suppress(zlib.error):
        texts.append(zlib.decompress(raw).decode("latin-1"))
    return "\n".join(texts)


@pytest.fixture
def enrolled(client, app, session):
    make_business_catalog(session)
    make_kiosk(session)
    assert enrol(client).status_code == 302
    return client


def test_decoding_the_cookie_shows_no_draft_applicant(enrolled):
    fill_in(enrolled)
    leaked = readable(enrolled.get_cookie("session").value)
    for secret in (NIK, "Siti Aminah", PHONE, "Warung Siti"):
        assert secret not in leaked


def test_decoding_the_cookie_shows_no_receipt_pin(enrolled):
    fill_in(enrolled)
    enrolled.post("/kiosk/apply/submit")
    done = enrolled.get("/kiosk/apply/done").get_data(as_text=True)
    pin = re.search(r'id="pin">(\d{6})<', done).group(1)
    assert pin not in readable(enrolled.get_cookie("session").value)


def test_the_draft_survives_between_pages_but_a_tampered_cookie_is_ignored(enrolled, app):
    fill_in(enrolled)
    assert NIK in enrolled.get("/kiosk/apply/check").get_data(as_text=True)
    value = enrolled.get_cookie("session").value
    enrolled.set_cookie("session", value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"))
    assert NIK not in enrolled.get("/kiosk/apply/check").get_data(as_text=True)


def test_the_session_key_is_not_the_secret_key(app):
    assert app.config["SESSION_KEYS"] and app.config["SESSION_KEYS"] != app.config["SECRET_KEY"]
