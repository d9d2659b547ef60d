"""PIN hashing with a dedicated key: HMAC-SHA256 with a key id, rotation, the upgrade of older
hashes at a correct look-up, and PINs that a copy of the database cannot give back."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from werkzeug.security import generate_password_hash

from kiosk import create_app
from services.codes import PIN_HASH_SCHEME, PinKeyring, idempotency_digest, key_id
from services.errors import NotFound
from services.lookup import find_request
from services.models import ServiceRequest
from services.submission import submit_request
from tests.builders import PINS, make_catalog
from tests.builders.kiosk import business_service
from tests.test_lookup_and_idempotency import submission

OLD = PinKeyring.from_secrets("the-old-pin-key")
ROTATED = PinKeyring.from_secrets("the-new-pin-key", ["the-old-pin-key"])


def test_a_pin_hash_names_its_scheme_and_key_and_holds_no_pin():
    stored = PINS.hash_pin("123456")
    scheme, kid, digest = stored.split("$")
    assert (scheme, kid) == (PIN_HASH_SCHEME, key_id("test-pin-key"))
    assert len(digest) == 64 and "123456" not in stored
    assert PINS.hash_pin("123456") == stored  # keyed, not salted: the key is the secret


@pytest.mark.parametrize(("keyring", "stored", "pin", "matches", "upgrade"), [
    (PINS, PINS.hash_pin("123456"), "123456", True, False),
    (PINS, PINS.hash_pin("123456"), "123457", False, False),
    (PINS, PINS.hash_pin("123456"), "", False, False),
    (ROTATED, OLD.hash_pin("123456"), "123456", True, True),  # a retired key still verifies
    (ROTATED, OLD.hash_pin("123456"), "654321", False, True),
    (PINS, OLD.hash_pin("123456"), "123456", False, True),  # a key the server no longer has
    (PINS, generate_password_hash("123456"), "123456", True, True),  # werkzeug scrypt
    (PINS, generate_password_hash("123456"), "000000", False, True),
    (PINS, generate_password_hash("123456", method="pbkdf2:sha256:1"), "123456", True, True),
    (PINS, "hmac-sha256$nokey$00", "123456", False, True),
])
def test_pin_checks(keyring, stored, pin, matches, upgrade):
    assert keyring.pin_matches(stored, pin) is matches
    assert keyring.needs_upgrade(stored) is upgrade


def test_a_pin_key_is_required():
    with pytest.raises(ValueError):
        PinKeyring.from_secrets("")


def test_retry_pins_come_from_the_client_held_key_under_each_pin_key():
    first = ROTATED.derived_pins("kiosk:K-1:abc")
    assert first == ROTATED.derived_pins("kiosk:K-1:abc") and len(first) == 2
    assert first[1] == OLD.derived_pins("kiosk:K-1:abc")[0]
    assert first[0] != ROTATED.derived_pins("kiosk:K-1:abd")[0]
    assert all(len(pin) == 6 and pin.isdigit() for pin in first)


def test_a_sealed_pin_opens_only_with_its_key():
    sealed = PINS.seal_pin("012345")
    assert "012345" not in sealed and sealed != PINS.seal_pin("012345")  # a fresh nonce each time
    assert PINS.open_pin(sealed) == "012345"
    assert OLD.open_pin(sealed) is None
    assert PinKeyring.from_secrets("new", ["test-pin-key"]).open_pin(sealed) == "012345"
    assert PINS.open_pin("garbage") is None
    with pytest.raises(ValueError):
        PINS.seal_pin("12ab56")


@pytest.fixture
def submitted(session):
    make_catalog(session, business_service())
    return submit_request(session, submission("api:KIOSK-TEST-01:low-entropy-key"), pins=PINS)


def test_the_database_keeps_neither_the_idempotency_key_nor_the_pin(session, submitted):
    row = session.execute(text("SELECT * FROM service_request")).mappings().one()
    stored = " ".join(str(value) for value in row.values())
    assert "low-entropy-key" not in stored and submitted.pin not in stored
    assert row["idempotency_digest"] == idempotency_digest("api:KIOSK-TEST-01:low-entropy-key")
    assert row["pin_hash"].startswith(f"{PIN_HASH_SCHEME}${PINS.current_kid}$")


def test_a_retry_after_a_key_rotation_gets_the_first_pin_back(session, submitted):
    rotated = PinKeyring.from_secrets("a-newer-pin-key", ["test-pin-key"])
    again = submit_request(session, submission("api:KIOSK-TEST-01:low-entropy-key"),
                           pins=rotated)
    assert (again.created, again.request.id, again.pin) == (False, submitted.request.id,
                                                            submitted.pin)


def test_a_scrypt_hash_is_upgraded_at_the_next_correct_look_up(session, submitted):
    request = submitted.request
    request.pin_hash = generate_password_hash(submitted.pin)
    session.commit()
    with pytest.raises(NotFound):
        find_request(session, request.tracking_code, "x" + submitted.pin[1:], PINS)
    assert request.pin_hash.startswith("scrypt:")  # a wrong PIN changes nothing
    find_request(session, request.tracking_code, submitted.pin, PINS)
    session.commit()
    stored = session.scalar(select(ServiceRequest.pin_hash).where(ServiceRequest.id == request.id))
    assert stored == PINS.hash_pin(submitted.pin)
    assert find_request(session, request.tracking_code, submitted.pin, PINS).id == request.id


def test_a_hash_under_a_retired_key_is_rehashed_under_the_current_one(session, submitted):
    rotated = PinKeyring.from_secrets("a-newer-pin-key", ["test-pin-key"])
    request = find_request(session, submitted.request.tracking_code, submitted.pin, rotated)
    assert request.pin_hash == rotated.hash_pin(submitted.pin)
    assert request.pin_hash.split("$")[1] == key_id("a-newer-pin-key")


def test_the_app_reads_its_pin_keys_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("KIOSK_PIN_KEY", "from-the-environment")
    monkeypatch.setenv("KIOSK_PIN_OLD_KEYS", "older-one,oldest-one")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    keyring = app.extensions["pin_keyring"]
    assert [kid for kid, _ in keyring.keys] == [key_id("from-the-environment"),
                                               key_id("older-one"), key_id("oldest-one")]
    assert not (tmp_path / "pin_key").exists()


def test_without_a_pin_key_the_app_keeps_its_own_apart_from_the_secret_key(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("KIOSK_PIN_KEY", raising=False)
    first = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    again = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["PIN_KEY"] == again.config["PIN_KEY"] != first.config["SECRET_KEY"]
    assert (tmp_path / "pin_key").stat().st_mode & 0o077 == 0
