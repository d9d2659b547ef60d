"""What the citizen does in the workflow: add the information a clerk asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.berkas.checking import replace_documents
from services.berkas.files import split_documents
from services.catalog.definitions import version_requirements
from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.clock import utcnow
from services.codes import PinKeyring
from services.errors import InvalidTransition, Message, ValidationFailed
from services.lookup import CodeLocked, LookupRefused, find_request
from services.models import RequestStatus, ServiceRequest, Task, TaskStatus
from services.validation import clean_answers
from services.workflow.history import record_event
from services.workflow.locks import lock_open_tasks, lock_request
from services.workflow.routing import reroute_request
from services.workflow.sla import resume_clock
from services.workflow.transitions import Action, move_task, status_after


def asked_fields(request: ServiceRequest, waiting: list[Task]) -> set[str]:
    """The answers the clerks named when they returned these tasks for information."""
    task_ids = {t.id for t in waiting}
    return {key for event in request.events
            if event.kind == "information_requested" and event.task_id in task_ids
            for key in (event.data or {}).get("fields", [])}


@dataclass(frozen=True)
class ClerkQuestion:
    """What a clerk asked when returning the request: the note, and the answers they flagged."""

    note: str
    fields: list[str]  # the flagged answers' labels, in the citizen's language
    asked_at: datetime


def clerk_questions(request: ServiceRequest, lang: str) -> list[ClerkQuestion]:
    """The questions still waiting for the citizen's answer, oldest first."""
    waiting = {t.id for t in request.tasks if t.status is TaskStatus.WAITING}
    labels = {f.key: f.label(lang) for f in request.service_version.fields}
    return [ClerkQuestion(note=event.note,
                          fields=[labels[key] for key in (event.data or {}).get("fields", [])
                                  if key in labels],
                          asked_at=event.created_at)
            for event in sorted(request.events, key=lambda e: (e.created_at, e.id))
            if event.kind == "information_requested" and event.task_id in waiting]


# Once decided (or withdrawn) a request has no expected completion left to show.
DECIDED_STATUSES = frozenset({RequestStatus.APPROVED, RequestStatus.REJECTED,
                              RequestStatus.COMPLETED, RequestStatus.CANCELLED})


@dataclass(frozen=True)
class ExpectedCompletion:
    """The "Perkiraan selesai" line a citizen (or clerk) sees, if any."""

    due_at: datetime | None
    paused: bool  # the SLA clock stands still while the citizen is asked for information


def expected_completion(request: ServiceRequest) -> ExpectedCompletion | None:
    """None once decided or while no deadline is known; else the date, paused or running."""
    if request.status in DECIDED_STATUSES or request.due_at is None:
        return None
    return ExpectedCompletion(due_at=request.due_at, paused=request.clock_stopped_at is not None)


def unasked_changes(asked: set[str], answers: dict[str, Any]) -> dict[str, Message]:
    """A field error for every answer given that no clerk asked to change."""
    said = (Message("information.not_asked", {"asked": ", ".join(sorted(asked))}) if asked
            else Message("information.only_a_note"))
    return {key: said for key in answers if key not in asked}


def request_for_citizen(session: Session, tracking_code: str, pin: str,
                        pins: PinKeyring) -> ServiceRequest:
    """The request behind a tracking code and PIN; one error for either being wrong."""
    try:
        return find_request(session, tracking_code, str(pin or ""), pins)
    except CodeLocked:
        raise
    except LookupRefused as wrong:
        raise LookupRefused("lookup.wrong_code_or_pin_short") from wrong


def supply_information(session: Session, tracking_code: str, pin: str, *, pins: PinKeyring,
                       answers: dict[str, Any] | None = None, note: str = "",
                       documents: Mapping[str, Sequence[str]] | None = None,
                       channel: str = "web", now: datetime | None = None,
                       calendar: CityCalendar = DEFAULT_CALENDAR) -> ServiceRequest:
    """The citizen answers a return for information: answers are checked and saved, the SLA
    clock resumes (deadlines move by the working days it stood still) and the returned task is
    ready again; ``documents`` replace the documents the clerk returned. Not committed."""
    now = now or utcnow()
    answers = dict(answers or {})
    note = (note or "").strip()
    found = request_for_citizen(session, tracking_code, pin, pins)
    if found.status is not RequestStatus.NEEDS_INFO:
        raise InvalidTransition("information.not_waiting")
    documents = dict(documents or {})
    if not answers and not note and not documents:
        raise ValidationFailed("information.nothing_given",
                               fields={"note": "information.nothing_given"})
    waiting = [t for t in lock_open_tasks(session, found.id) if t.status is TaskStatus.WAITING]
    request = lock_request(session, found.id)
    before = request.status
    if before is not RequestStatus.NEEDS_INFO:
        raise InvalidTransition("information.not_waiting")
    # A returned document's key among the answers names its new upload ids (API, phone).
    answers, named = split_documents(version_requirements(request.service_version), answers)
    documents = {**named, **documents}
    if refused := unasked_changes(asked_fields(request, waiting), answers):
        raise ValidationFailed("information.only_asked", fields=refused)
    replaced = replace_documents(session, request, documents, now=now) if documents else []
    previous = dict(request.answers)
    changed: list[str] = []
    if answers:
        merged = {**request.answers, **answers}
        cleaned = clean_answers(request.service_version.fields, merged,
                                today=calendar.local_day(now))
        changed = sorted(key for key in cleaned if cleaned.get(key) != request.answers.get(key))
        request.answers = cleaned
    stopped = resume_clock(session, request, now=now, calendar=calendar)
    for task in waiting:
        move_task(task, TaskStatus.READY)
        task.claimed_by_id, task.claimed_at, task.ready_at = None, None, now
    request.status = status_after(before, Action.SUPPLY)
    # A changed answer may decide routing: the same routing code moves the open tasks, and the
    # one event of this change says so (its kind tells the citizen, its data the clerks).
    moves = reroute_request(session, request, previous, now=now, calendar=calendar)
    data: dict[str, Any] = {"changed": changed, "clock_stopped_days": stopped,
                            "channel": channel}
    if replaced:
        data["documents"] = replaced
    if moves:
        data["moves"] = [m.as_data() for m in moves]
    record_event(session, request, "request_rerouted" if moves else "information_supplied",
                 now=now, from_status=before, actor_label=f"citizen ({channel})",
                 task=waiting[0] if waiting else None, note=note, public_note=True, data=data)
    return request
