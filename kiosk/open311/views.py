"""The GeoReport v2 methods: discovery, services, a service's definition, POST requests,
GET requests, a request, a token. Each parses, calls the domain, and renders."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

from flask import current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from kiosk.api_keys import calling_key
from kiosk.extensions import city_calendar, clock, db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import say
from kiosk.open311 import bp
from kiosk.open311.formats import render
from services.catalog import queries
from services.codes import format_tracking_code
from services.db import utcnow
from services.errors import Message, NotAllowed, NotFound, ValidationFailed
from services.models import Channel, Scope, ServiceRequest
from services.open311 import (
    RequestSearch,
    find_requests,
    read_search,
    read_submission,
    request_record,
    service_attributes,
    service_summary,
    token_idempotency_key,
    token_request,
)
from services.submission import Submission, submit_request

FMT = "<any(json,xml):fmt>"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-29T00:00:00Z"
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,60})\](\[\])?$")


def _base_url() -> str:
    base = str(current_app.config.get("PUBLIC_BASE_URL") or request.url_root)
    return base.rstrip("/") + "/open311/v2"


@bp.get(f"/discovery.{FMT}")
@bp.get(f"/v2/discovery.{FMT}")
def discovery(fmt: str):
    city = current_app.config["CITY_NAME"]
    return render(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": f"Diskominfo {city}",
        "key_service": f"Administrator e-Kiosk {city} (Admin > API keys)",
        "endpoints": [{"specification": SPECIFICATION, "url": _base_url(),
                       "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    })


@bp.get(f"/v2/services.{FMT}")
def services(fmt: str):
    calling_key(Scope.CATALOG_READ, required=False)
    lang = current_language()
    return render(fmt, "services", [service_summary(service, lang)
                                    for service in queries.active_services(db.session)])


@bp.get(f"/v2/services/<service_code>.{FMT}")
def service_definition(service_code: str, fmt: str):
    calling_key(Scope.CATALOG_READ, required=False)
    service = queries.active_service(db.session, service_code)
    assert service.current_version is not None
    lang = current_language()
    return render(fmt, "service_definition", {
        "service_code": service.code,
        "attributes": [worded_attribute(attribute, lang) for attribute in
                       service_attributes(service.current_version, lang)],
    })


def worded_attribute(attribute: dict[str, Any], lang: str) -> dict[str, Any]:
    """A GeoReport attribute with its fixed texts (messages) in ``lang``."""
    def word(text: Message | str) -> str:
        return say(text, lang) if isinstance(text, Message) else text

    return {**attribute, "description": word(attribute["description"]),
            "datatype_description": " ".join(
                word(part) for part in attribute["datatype_description"]) or None,
            "values": [{**value, "name": word(value["name"])} for value in attribute["values"]]}


def attribute_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """attribute[code]=value (and attribute[code][]=value for lists) as {code: value(s)}."""
    values: dict[str, Any] = {}
    for name, given in form.lists():
        if (match := ATTRIBUTE.match(name)) is not None:
            values[match.group(1)] = list(given) if match.group(2) else given[-1]
    return values


@bp.post(f"/v2/requests.{FMT}")
def create_request(fmt: str):
    key = calling_key(Scope.REQUESTS_SUBMIT, required=True)
    assert key is not None
    form = request.form
    service_code = form.get("service_code", "").strip()
    if not service_code:
        raise ValidationFailed("open311.service_code_required",
                               fields={"service_code": "field.required"})
    service = queries.active_service(db.session, service_code)
    assert service.current_version is not None
    lang = current_language()
    given = read_submission(service.current_version.fields, attribute_values(form),
                            first_name=form.get("first_name", ""),
                            last_name=form.get("last_name", ""), phone=form.get("phone", ""))
    token = uuid4().hex
    with unit_of_work(keep_loaded=True):
        result = submit_request(
            db.session,
            Submission(service_code=service.code, applicant=given.applicant,
                       answers=given.answers, channel=Channel.OPEN311, language=lang,
                       api_key_id=key.id, idempotency_key=token_idempotency_key(token),
                       actor_label=f"Open311 {key.prefix}"),
            pins=pin_keyring(), calendar=city_calendar(), now=clock().now(),
        )
    found = result.request
    due = request_record(found, lang, current_app.config["CITY_TIMEZONE"])["expected_datetime"]
    code = format_tracking_code(found.tracking_code)
    with force_locale(lang):
        notice = _("Permohonan diterima. Kode pelacakan %(code)s, PIN %(pin)s (untuk cek status "
                   "di kios atau /status). Perkiraan selesai %(due)s.",
                   code=code, pin=result.pin, due=(due or "")[:10])
    return render(fmt, "service_requests", [{
        "service_request_id": found.tracking_code,
        "token": token,
        "service_notice": notice,
        "account_id": form.get("account_id") or None,
    }], status=201)


def worded_record(found: ServiceRequest, lang: str, tz: str) -> dict[str, Any]:
    """A request as GeoReport shows it, its status notes (a timeline message) in ``lang``."""
    record = request_record(found, lang, tz)
    if record["status_notes"] is not None:
        record["status_notes"] = say(record["status_notes"], lang)
    return record


@bp.get(f"/v2/requests.{FMT}")
def list_requests(fmt: str):
    key = calling_key(Scope.REQUESTS_READ_OWN, required=False)
    search = read_search(request.args, utcnow())
    if key is None and not search.ids:
        raise NotAllowed("open311.listing_needs_key")
    found = find_requests(db.session, search, api_key_id=key.id if key else None)
    lang, tz = current_language(), current_app.config["CITY_TIMEZONE"]
    return render(fmt, "service_requests", [worded_record(item, lang, tz) for item in found])


@bp.get(f"/v2/requests/<service_request_id>.{FMT}")
def show_request(service_request_id: str, fmt: str):
    key = calling_key(Scope.REQUESTS_READ_OWN, required=False)
    found = find_requests(db.session, RequestSearch(ids=(service_request_id,)),
                          api_key_id=key.id if key else None)
    if not found:
        raise NotFound("open311.no_such_request")
    return render(fmt, "service_requests", [
        worded_record(found[0], current_language(), current_app.config["CITY_TIMEZONE"])])


@bp.get(f"/v2/tokens/<token>.{FMT}")
def show_token(token: str, fmt: str):
    found = token_request(db.session, token)
    if found is None:
        raise NotFound("open311.no_request_for_token")
    return render(fmt, "service_requests", [{"service_request_id": found.tracking_code,
                                             "token": token}])
