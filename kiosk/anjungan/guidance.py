"""Spoken guidance ("Dengarkan"): a question page read aloud in the citizen's language. The
server says only what it derives itself from the draft's service and step, never text sent by
the browser, and makes the audio only when it is asked for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Response, current_app, session
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, RadioField

from kiosk.anjungan import bp
from kiosk.anjungan.complaints import DRAFT as COMPLAINT_DRAFT
from kiosk.anjungan.forms import IdentityForm
from kiosk.anjungan.views import _draft_service, _draft_with_applicant, page_form
from kiosk.complaints.forms import ComplainantForm, ComplaintTextForm, PrivacyForm
from kiosk.extensions import limiter
from kiosk.i18n import current_language
from kiosk.speech import SpeechCache, SpeechUnavailable
from services.validation import visible_fields

LISTEN_LIMIT = "30 per minute"


def speech_cache() -> SpeechCache:
    """The app's one speech cache, under its instance folder."""
    cache = current_app.extensions.get("kiosk_speech")
    if cache is None:
        cache = SpeechCache(Path(current_app.instance_path) / "speech",
                            current_app.config.get("SPEECH_ENGINE", "espeak-ng"))
        current_app.extensions["kiosk_speech"] = cache
    return cache


def spoken_text(heading: str, fields: list[Field]) -> str:
    """What "Dengarkan" says: the page's question, then each field's label, help and choices."""
    sentences = [heading]
    for field in fields:
        sentences.append(str(field.label.text))
        if field.description:
            sentences.append(str(field.description))
        if isinstance(field, RadioField):
            sentences.append(_("Pilihan: %(choices)s", choices=", ".join(
                str(label) for _value, label, *_rest in field.iter_choices())))
    return ". ".join(sentence.strip().rstrip(".") for sentence in sentences if sentence) + "."


def _speak(text: str):  # type: ignore[no-untyped-def]
    try:
        audio = speech_cache().audio_for(text, current_language())
    except SpeechUnavailable:
        return _("Suara panduan tidak tersedia di kiosk ini."), 503, {
            "Content-Type": "text/plain; charset=utf-8"}
    return Response(audio.read_bytes(), mimetype="audio/wav")


@bp.get("/apply/identity/listen")
@limiter.limit(LISTEN_LIMIT)
def listen_identity():  # type: ignore[no-untyped-def]
    found = _draft_service()
    if found is None:
        return _("Tidak ada permohonan yang sedang diisi."), 404
    _draft, service = found
    form = IdentityForm(current_language())
    heading = f"{_('Data pemohon')}. {service.current_version.text('name', current_language())}"
    return _speak(spoken_text(heading, [form.nik, form.name, form.phone, form.notify]))


@bp.get("/apply/page/<int:number>/listen")
@limiter.limit(LISTEN_LIMIT)
def listen_page(number: int):  # type: ignore[no-untyped-def]
    found = _draft_with_applicant()
    if not isinstance(found, tuple):
        return _("Tidak ada permohonan yang sedang diisi."), 404
    draft, service = found
    form = page_form(draft, service, number)
    visible = {f.key for f in visible_fields(list(service.current_version.fields),
                                             draft["answers"])}
    shown = [form[f.key] for f in form.catalog_fields if f.key in visible]
    return _speak(spoken_text(service.current_version.text("name", current_language()), shown))


# The complaint's question pages: what each says above its form, and the form it asks.
COMPLAINT_PAGES: dict[str, tuple[list[str], Callable[[], FlaskForm]]] = {
    "isi": (["Apa yang terjadi?", "Tulis apa yang terjadi, di mana dan kapan. Jangan tulis "
             "nama, NIK atau nomor HP di sini."], ComplaintTextForm),
    "privasi": (["Identitas Anda", "Pilih siapa yang boleh mengetahui bahwa Anda yang "
                 "mengadu."], PrivacyForm),
    "identitas": (["Data pelapor"], ComplainantForm),
}


@bp.get("/pengaduan/<step>/listen")
@limiter.limit(LISTEN_LIMIT)
def listen_complaint(step: str):  # type: ignore[no-untyped-def]
    if step not in COMPLAINT_PAGES or session.get(COMPLAINT_DRAFT) is None:
        return _("Tidak ada permohonan yang sedang diisi."), 404
    sentences, form_class = COMPLAINT_PAGES[step]
    form = form_class()
    if isinstance(form, PrivacyForm):
        form.offer(current_language())
    fields = [field for field in form if field.type != "CSRFTokenField"]
    return _speak(spoken_text(". ".join(_(sentence) for sentence in sentences), fields))


def speech_available() -> bool:
    return speech_cache().available()


@bp.context_processor
def guidance_context() -> dict[str, Any]:
    return {"speech_available": speech_available}
