"""Open311 GeoReport v2 in domain terms: datatypes, attributes, statuses, submissions and the
request search. The web layer (kiosk/open311) only turns these into JSON or XML."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.codes import idempotency_digest, normalise_tracking_code
from services.conditions import NO, YES
from services.errors import Message, ValidationFailed
from services.models import (
    Channel,
    FieldType,
    FormField,
    RequestStatus,
    Service,
    ServiceRequest,
    ServiceVersion,
)
from services.submission import Applicant
from services.timeline import citizen_timeline
from services.workflow.transitions import OPEN, OPEN_TASK_STATUSES

# Our field types as GeoReport v2 datatypes (string, number, datetime, text,
# singlevaluelist, multivaluelist); no field type of ours takes several values.
DATATYPES: dict[FieldType, str] = {
    FieldType.TEXT: "string",
    FieldType.LONG_TEXT: "text",
    FieldType.NUMBER: "number",
    FieldType.RUPIAH: "number",
    FieldType.DATE: "datetime",
    FieldType.CHOICE: "singlevaluelist",
    FieldType.YES_NO: "singlevaluelist",
    FieldType.NIK: "string",
    FieldType.PHONE: "string",
    FieldType.EMAIL: "string",
    FieldType.ADDRESS: "text",
}
# What a datatype's value looks like, as a message the web layer words ("open311.<code>").
DATATYPE_DESCRIPTIONS: dict[FieldType, str] = {
    FieldType.NIK: "open311.nik_format",
    FieldType.PHONE: "open311.phone_format",
    FieldType.EMAIL: "open311.email_format",
    FieldType.RUPIAH: "open311.rupiah_format",
    FieldType.DATE: "open311.date_format",
}
YES_NO_VALUES = ((YES, "open311.yes"), (NO, "open311.no"))

# The applicant, asked of every service; the spec's first_name/last_name/phone also serve.
# (code, what it is, what its value looks like), the last two message codes.
APPLICANT_ATTRIBUTES: tuple[tuple[str, str, str], ...] = (
    ("applicant_nik", "open311.applicant_nik", "open311.nik_format"),
    ("applicant_name", "open311.applicant_name", "open311.applicant_name_format"),
    ("applicant_phone", "open311.applicant_phone", "open311.applicant_phone_format"),
)
MAX_RESULTS = 1000
DEFAULT_SPAN = timedelta(days=90)


def open311_status(status: RequestStatus) -> str:
    """GeoReport has two statuses: a request still being worked on is open."""
    return "open" if status in OPEN else "closed"


def field_attribute(field: FormField, order: int, lang: str) -> dict[str, Any]:
    """A form field as a GeoReport attribute; its fixed texts are messages (the web layer
    words them), the catalog's own texts are in ``lang``."""
    kind = field.type
    values: list[dict[str, str]] = []
    if kind is FieldType.CHOICE:
        values = [{"key": c["value"], "name": c["label_en"] if lang == "en" else c["label_id"]}
                  for c in field.choices]
    elif kind is FieldType.YES_NO:
        values = [{"key": key, "name": Message(code)} for key, code in YES_NO_VALUES]
    description = field.label(lang)
    described = DATATYPE_DESCRIPTIONS.get(kind)
    help_text = field.help(lang)
    return {
        "variable": True,
        "code": field.key,
        "datatype": DATATYPES[kind],
        # A field shown only for some answers cannot be required of every request.
        "required": bool(field.required and not field.show_if),
        # Worded and joined by the web layer: how the value looks, then the field's help.
        "datatype_description": [part for part in (
            Message(described) if described else None, help_text) if part],
        "order": order,
        "description": description,
        "values": values,
    }


def service_attributes(version: ServiceVersion, lang: str) -> list[dict[str, Any]]:
    """The applicant's three attributes, then the service's form fields in form order."""
    attributes = [
        {"variable": True, "code": code, "datatype": "string", "required": True,
         "datatype_description": [Message(looks)], "order": order,
         "description": Message(what), "values": []}
        for order, (code, what, looks) in enumerate(APPLICANT_ATTRIBUTES, start=1)
    ]
    start = len(attributes) + 1
    attributes += [field_attribute(field, order, lang)
                   for order, field in enumerate(version.fields, start=start)]
    return attributes


def service_summary(service: Service, lang: str) -> dict[str, Any]:
    version = service.current_version
    assert version is not None
    return {
        "service_code": service.code,
        "service_name": version.text("name", lang),
        "description": version.text("description", lang),
        "metadata": bool(version.fields),
        "type": "realtime",
        "keywords": ", ".join(filter(None, [service.category.name(lang), service.code])),
        "group": service.category.name(lang),
    }


@dataclass(frozen=True)
class Open311Submission:
    applicant: Applicant
    answers: dict[str, Any]


def _single(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return value[0] if len(value) == 1 else list(value)
    return value


def _answer(field: FormField, raw: Any) -> Any:
    """GeoReport wire values as our answers: a datetime's date, a yes/no key."""
    if field.type is FieldType.DATE and isinstance(raw, str) and re.match(r"\d{4}-\d\d-\d\dT", raw):
        return raw[:10]
    return raw


def read_submission(fields: Sequence[FormField], attributes: Mapping[str, Any], *,
                    first_name: str = "", last_name: str = "",
                    phone: str = "") -> Open311Submission:
    """The applicant and answers in a POST's attribute[...] values and the spec's name and
    phone fields. Checking them is submit_request's work, as for every channel."""
    known = {field.key: field for field in fields}
    applicant_codes = {code for code, *_ in APPLICANT_ATTRIBUTES}
    unknown = sorted(code for code in attributes if code not in known and
                     code not in applicant_codes)
    if unknown:
        raise ValidationFailed("open311.unknown_attributes", names=", ".join(unknown)[:200],
                               fields={f"attribute[{code}]": "open311.unknown_attribute"
                                       for code in unknown[:20]})
    name = str(_single(attributes.get("applicant_name")) or
               " ".join(part for part in (first_name.strip(), last_name.strip()) if part))
    applicant = Applicant(nik=str(_single(attributes.get("applicant_nik")) or ""), name=name,
                          phone=str(_single(attributes.get("applicant_phone")) or phone))
    answers = {key: _answer(known[key], _single(value)) for key, value in attributes.items()
               if key in known}
    return Open311Submission(applicant, answers)


def parse_w3c_datetime(text: str, name: str) -> datetime:
    """A W3C datetime with its offset, e.g. 2010-01-01T00:00:00Z; ValidationFailed if not."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise ValidationFailed("open311.datetime_format", name=name,
                               fields={name: "open311.datetime"}) from error
    if value.tzinfo is None:
        raise ValidationFailed("open311.datetime_zone", name=name,
                               fields={name: "open311.datetime_with_zone"})
    return value


@dataclass(frozen=True)
class RequestSearch:
    """GET requests' filters. ``ids`` overrides the others, as the spec says."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


def read_search(params: Mapping[str, str], now: datetime) -> RequestSearch:
    """The filters in GET requests' query; ValidationFailed for one the spec does not allow."""
    def listed(name: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in params.get(name, "").split(",") if part.strip())

    statuses = listed("status")
    if any(status not in ("open", "closed") for status in statuses):
        raise ValidationFailed("open311.status_values", fields={"status": "open311.open_or_closed"})
    start = parse_w3c_datetime(params["start_date"], "start_date") \
        if params.get("start_date") else None
    end = parse_w3c_datetime(params["end_date"], "end_date") if params.get("end_date") else None
    if start and end and (end < start or end - start > DEFAULT_SPAN):
        raise ValidationFailed("open311.span", fields={"end_date": "open311.span_end"})
    if start is None and end is None:
        start = now - DEFAULT_SPAN
    return RequestSearch(ids=listed("service_request_id")[:MAX_RESULTS],
                         service_codes=listed("service_code"), start=start, end=end,
                         statuses=statuses)


def find_requests(session: Session, search: RequestSearch, *,
                  api_key_id: int | None) -> list[ServiceRequest]:
    """The requests a caller may see: those made through Open311 when asked for by id, and the
    calling key's own requests. Kiosk and counter requests stay behind their PIN."""
    visible = [ServiceRequest.channel == Channel.OPEN311] if search.ids else []
    if api_key_id is not None:
        visible.append(ServiceRequest.api_key_id == api_key_id)
    if not visible:
        return []
    query = select(ServiceRequest).where(or_(*visible))
    if search.ids:
        codes = [code for code in map(normalise_tracking_code, search.ids) if code]
        query = query.where(ServiceRequest.tracking_code.in_(codes))
    else:
        if search.service_codes:
            query = query.join(ServiceVersion).join(Service, ServiceVersion.service_id ==
                                                    Service.id)
            query = query.where(Service.code.in_(search.service_codes))
        if search.start:
            query = query.where(ServiceRequest.created_at >= search.start)
        if search.end:
            query = query.where(ServiceRequest.created_at <= search.end)
        wanted = {status for status in RequestStatus
                  if not search.statuses or open311_status(status) in search.statuses}
        query = query.where(ServiceRequest.status.in_(wanted))
    return list(session.scalars(query.order_by(ServiceRequest.created_at.desc())
                                .limit(MAX_RESULTS)))


def token_request(session: Session, token: str) -> ServiceRequest | None:
    """The request a POST's token stands for (tokens are random, one per Open311 POST)."""
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        return None
    return session.scalar(select(ServiceRequest).where(
        ServiceRequest.idempotency_digest == idempotency_digest(token_idempotency_key(token))))


def token_idempotency_key(token: str) -> str:
    return f"open311:{token}"


def _w3c(value: datetime | None, tz: str) -> str | None:
    return value.astimezone(ZoneInfo(tz)).isoformat(timespec="seconds") if value else None


def request_record(found: ServiceRequest, lang: str, tz: str) -> dict[str, Any]:
    """A request as GeoReport shows it publicly: no NIK, name, phone or answers."""
    timeline = citizen_timeline(found, lang)
    holding = sorted({task.agency.name(lang) for task in found.tasks
                      if task.status in OPEN_TASK_STATUSES})
    if not holding and found.service_version.steps:
        first = found.service_version.steps[0]
        holding = [first.agency.name(lang)] if first.agency else []
    updated = found.events[-1].created_at if found.events else found.created_at
    return {
        "service_request_id": found.tracking_code,
        "status": open311_status(found.status),
        "status_notes": timeline[-1].text if timeline else None,
        "service_name": found.service_version.text("name", lang),
        "service_code": found.service_version.service.code,
        "description": None,
        "agency_responsible": ", ".join(holding) or None,
        "service_notice": None,
        "requested_datetime": _w3c(found.created_at, tz),
        "updated_datetime": _w3c(updated, tz),
        "expected_datetime": _w3c(found.due_at, tz),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }
