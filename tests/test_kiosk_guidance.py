# ruff: noqa: F811  (fixtures imported from tests.test_anjungan are test parameters here)
"""Spoken guidance ("Dengarkan"): the server reads a question page aloud with espeak-ng, caches
the WAV by a hash of voice and text, says only what it derives itself, and is rate-limited."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from kiosk.speech import SpeechCache
from tests.kiosk_builders import NIK, PHONE, enrol, make_business_catalog, make_kiosk
from tests.test_anjungan import enrolled, kiosk  # noqa: F401  (fixtures)

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="!!! espeak-ng is not installed: spoken-guidance tests SKIPPED "
           "(apt-get install espeak-ng)")


def start_application(client, lang="id"):
    client.get(f"/kiosk/?lang={lang}")
    client.post("/kiosk/service/IZIN-USAHA/start")


def assert_wav(body: bytes) -> None:
    assert len(body) > 1000
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"


def cached_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "speech").glob("*.wav"))


@needs_espeak
def test_the_identity_page_is_read_aloud_and_cached(app, enrolled):
    start_application(enrolled)
    response = enrolled.get("/kiosk/apply/identity/listen")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    assert_wav(response.data)
    assert len(cached_files(app)) == 1
    again = enrolled.get("/kiosk/apply/identity/listen")
    assert again.data == response.data and len(cached_files(app)) == 1


@needs_espeak
def test_each_language_has_its_own_voice_and_file(app, enrolled):
    start_application(enrolled, "en")
    english = enrolled.get("/kiosk/apply/identity/listen")
    enrolled.get("/kiosk/?lang=id")
    indonesian = enrolled.get("/kiosk/apply/identity/listen")
    assert_wav(english.data) and assert_wav(indonesian.data)
    assert english.data != indonesian.data and len(cached_files(app)) == 2


@needs_espeak
def test_a_page_says_its_questions_and_choices_and_nothing_the_browser_sends(app, enrolled):
    from kiosk.anjungan.guidance import spoken_text
    from kiosk.anjungan.views import page_form
    from services.catalog.queries import active_service

    start_application(enrolled)
    enrolled.post("/kiosk/apply/identity", data={"nik": NIK, "name": "SITI", "phone": PHONE})
    plain = enrolled.get("/kiosk/apply/page/1/listen")
    assert_wav(plain.data)
    asked = enrolled.get("/kiosk/apply/page/1/listen?text=Transfer+uang+ke+rekening+ini")
    assert asked.data == plain.data and len(cached_files(app)) == 1
    with app.test_request_context("/kiosk/apply/page/1"):
        from kiosk.extensions import db

        service = active_service(db.session, "IZIN-USAHA")
        form = page_form({"answers": {}}, service, 1)
        text = spoken_text("Izin", [form.business_name, form.sector])
    assert "Pilihan: Perdagangan, Jasa" in text


def test_no_application_no_audio(enrolled):
    assert enrolled.get("/kiosk/apply/identity/listen").status_code == 404
    assert enrolled.get("/kiosk/apply/page/1/listen").status_code in (302, 404)


def test_without_the_engine_the_button_says_so(app, enrolled):
    app.config["SPEECH_ENGINE"] = "no-such-speech-engine"
    app.extensions.pop("kiosk_speech", None)
    start_application(enrolled)
    page = enrolled.get("/kiosk/apply/identity").get_data(as_text=True)
    assert 'id="listen-off"' in page and "disabled" in page
    assert "Suara panduan tidak tersedia di kiosk ini." in page
    response = enrolled.get("/kiosk/apply/identity/listen")
    assert response.status_code == 503
    assert "tidak tersedia" in response.get_data(as_text=True)


def test_the_cache_names_files_by_voice_and_text(tmp_path):
    cache = SpeechCache(tmp_path)
    assert cache.path_for("Halo", "id") != cache.path_for("Halo", "en")
    assert cache.path_for("Halo", "id") == cache.path_for("Halo", "id")
    assert cache.path_for("Halo", "id").parent == tmp_path


@needs_espeak
def test_listening_is_rate_limited(database_url, tmp_path, monkeypatch):
    from kiosk import create_app
    from kiosk.extensions import db

    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / f"host-{uuid.uuid4().hex[:6]}"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": True})
    try:
        with app.app_context():
            make_business_catalog(db.session)
            make_kiosk(db.session)
        client = app.test_client()
        assert enrol(client).status_code == 302
        start_application(client)
        codes = [client.get("/kiosk/apply/identity/listen").status_code for _ in range(31)]
        assert codes[:30] == [200] * 30 and codes[30] == 429
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@needs_espeak
def test_the_complaint_pages_are_read_aloud_too(app, enrolled, session):
    from tests.complaints_support import make_complaint_city

    make_complaint_city(session)
    assert enrolled.get("/kiosk/pengaduan/isi/listen").status_code == 404  # no complaint yet
    enrolled.post("/kiosk/pengaduan/kategori/kesehatan")
    for step in ("isi", "privasi", "identitas"):
        response = enrolled.get(f"/kiosk/pengaduan/{step}/listen")
        assert response.status_code == 200, step
        assert_wav(response.data)
    assert enrolled.get("/kiosk/pengaduan/lainnya/listen").status_code == 404
    assert len(cached_files(app)) == 3


def test_the_spoken_text_is_the_pages_own_words_in_the_chosen_language(app):
    from kiosk.anjungan.forms import IdentityForm
    from kiosk.anjungan.guidance import spoken_text

    with app.test_request_context("/kiosk/apply/identity?lang=en"):
        from flask import session

        session["lang"] = "en"
        form = IdentityForm("en")
        text = spoken_text("Applicant", [form.name, form.notify])
    assert text.startswith("Applicant. Full name as on your KTP.")
    assert "Choices: WhatsApp, SMS, No, thanks." in text
