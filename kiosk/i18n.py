"""Language and time zone selection, and the template helpers that use them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request, session
from flask_babel import get_locale
from flask_wtf import FlaskForm

from services.catalog.definitions import version_requirements
from services.catalog.requirements import requirement_line
from services.catalog.standard import (
    consultation_lines,
    decree_text,
    duration_text,
    fee_text,
    maklumat_units,
    standard_components,
)
from services.formatting import long_date, long_datetime, rupiah


def select_locale() -> str:
    """Pick the language: ?lang= first. Pages then keep the visitor's choice and otherwise
    speak Bahasa Indonesia (a kiosk browser's own setting says nothing of its citizen);
    the API follows Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    is_api = request.path.startswith(("/api/", "/open311/"))
    asked = request.args.get("lang")
    if asked in languages:
        if not is_api:
            session["lang"] = asked
        return asked
    if is_api:
        return request.accept_languages.best_match(languages) or languages[0]
    return session.get("lang") if session.get("lang") in languages else languages[0]


def select_timezone() -> str:
    return current_app.config["CITY_TIMEZONE"]


def current_language() -> str:
    return str(get_locale() or "id")


def local_time(value: datetime | None) -> datetime | None:
    """Convert a stored UTC time to the city's time zone."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(current_app.config["CITY_TIMEZONE"]))


def format_datetime_local(value: datetime | None) -> str:
    local = local_time(value)
    return local.strftime("%d-%m-%Y %H:%M") if local else ""


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value)
    return value.strftime("%d-%m-%Y")


def format_long_date(value: date | datetime | None) -> str:
    """ "10 Maret 2026": a stored UTC time in the city's calendar, or a plain date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = local_time(value)
        assert local is not None
        value = local.date()
    return long_date(value, current_language())


def format_long_datetime(value: datetime | None) -> str:
    """ "10 Maret 2026 pukul 14.05 WIB" in the city's time zone."""
    if value is None:
        return ""
    return long_datetime(value, current_app.config["CITY_TIMEZONE"], current_language())


class FormTranslations:
    """WTForms' own messages ("This field is required.") in the page's language: their
    Indonesian is in kiosk.messages.FORM_LIBRARY_MESSAGES, since WTForms ships none."""

    def gettext(self, string: str) -> str:
        from kiosk.messages import FORM_LIBRARY_MESSAGES

        said = FORM_LIBRARY_MESSAGES.get(string)
        return string if said is None else str(said)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


FORM_TRANSLATIONS = FormTranslations()


def install_form_translations() -> None:
    """Every FlaskForm speaks the page's language, validators' default messages included."""
    FlaskForm.Meta.get_translations = lambda self, form: FORM_TRANSLATIONS  # type: ignore[method-assign,assignment]


def install_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.filters["rupiah"] = rupiah
    app.jinja_env.globals["fee_label"] = lambda version, request=None: fee_text(
        version, current_language(), request)
    app.jinja_env.globals["duration_label"] = lambda version: duration_text(
        version, current_language())
    app.jinja_env.globals["standard_components"] = lambda version: standard_components(
        version, current_language())
    app.jinja_env.globals["requirement_lines"] = lambda version, lang=None: [
        requirement_line(item, lang or current_language())
        for item in version_requirements(version)]
    app.jinja_env.globals["requirement_line"] = lambda requirement: requirement_line(
        requirement, current_language())
    app.jinja_env.globals["decree_text"] = lambda version: decree_text(version, current_language())
    app.jinja_env.globals["consultation_lines"] = lambda version: consultation_lines(
        version, current_language())
    app.jinja_env.globals["maklumat_units"] = maklumat_units
    app.jinja_env.filters["long_date"] = format_long_date
    from kiosk.messages import say  # (kiosk.messages itself builds on this module)

    app.jinja_env.filters["say"] = say  # a domain message (a timeline entry's) in words
    app.jinja_env.filters["long_datetime"] = format_long_datetime
    app.jinja_env.filters["local_datetime"] = format_datetime_local
    app.jinja_env.filters["local_date"] = format_date
