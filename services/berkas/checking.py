"""The clerk checks the file: each requirement of the request is sesuai, tidak sesuai (with a
reason the citizen reads) or kurang; the first stage's clerk then records "berkas lengkap"
(which starts a clock counted from the complete file) or "berkas tidak lengkap" (which returns
the request to the citizen with the documents to fix). Only agencies holding a task on the
request see its documents, and every view is audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.berkas.files import check_documents, current_documents, loose_uploads
from services.catalog.definitions import version_requirements
from services.catalog.requirements import Requirement, documents_asked
from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.errors import Message, NotAllowed, ValidationFailed
from services.models import (
    RequirementCheck,
    ServiceRequest,
    Task,
    Upload,
    User,
    Verdict,
)
from services.workflow.access import request_for_staff
from services.workflow.history import record_event
from services.workflow.tasks import mark_file_complete, return_for_information, workable_task
from services.workflow.transitions import Action

MAX_REASON = 500


@dataclass(frozen=True)
class RequirementFile:
    """One requirement of a request as the clerk sees it: its documents in force and the check."""

    requirement: Requirement
    uploads: list[Upload]
    check: RequirementCheck | None


def request_requirements(request: ServiceRequest) -> list[Requirement]:
    """The requirements these answers ask of this request, documents first."""
    asked = version_requirements(request.service_version)
    documents = documents_asked(asked, request.answers)
    return documents + [r for r in asked if not r.asks_a_file and r.applies(request.answers)]


def checks_of(session: Session, request: ServiceRequest) -> dict[str, RequirementCheck]:
    return {check.requirement_key: check for check in session.scalars(
        select(RequirementCheck).where(RequirementCheck.request_id == request.id))}


def request_file(session: Session, request: ServiceRequest) -> list[RequirementFile]:
    """The request's file, requirement by requirement (the caller has checked access)."""
    uploads = current_documents(session, request)
    checks = checks_of(session, request)
    return [RequirementFile(r, uploads.get(r.key, []), checks.get(r.key))
            for r in request_requirements(request)]


def view_document(session: Session, actor: User, tracking_code: str, token: str) -> Upload:
    """A document of a request the actor's agency holds a task on, the view audited."""
    return view_document_of(session, actor, request_for_staff(session, actor, tracking_code),
                            token)


def view_document_of(session: Session, actor: User, request: ServiceRequest,
                     token: str) -> Upload:
    """A document of ``request``, which the caller's access rule let ``actor`` see; the view
    audited."""
    upload = session.scalar(select(Upload).where(Upload.token == token,
                                                 Upload.request_id == request.id))
    if upload is None:
        raise NotAllowed("berkas.no_such_upload")
    record_audit(session, actor, "view", "berkas_upload", token,
                 {"request": request.tracking_code, "requirement": upload.requirement_key})
    return upload


def _first_stage_task(session: Session, actor: User, task_id: int,
                      action: Action) -> tuple[Task, ServiceRequest]:
    task, request = workable_task(session, actor, task_id, action)
    if task.stage != min(t.stage for t in request.tasks):
        raise NotAllowed("berkas.first_stage_only")
    return task, request


def check_requirement(session: Session, *, actor: User, task_id: int, requirement_key: str,
                      verdict: Verdict, reason: str = "", now: datetime) -> RequirementCheck:
    """Record the clerk's verdict on one requirement (a later verdict replaces it)."""
    task, request = _first_stage_task(session, actor, task_id, Action.APPROVE)
    reason = (reason or "").strip()[:MAX_REASON]
    if verdict is Verdict.TIDAK_SESUAI and not reason:
        raise ValidationFailed("berkas.check_reason_needed",
                               fields={"reason": "berkas.check_reason_needed"})
    if requirement_key not in {r.key for r in request_requirements(request)}:
        raise ValidationFailed("berkas.not_asked", fields={"requirement": "berkas.not_asked"})
    check = checks_of(session, request).get(requirement_key)
    if check is None:
        check = RequirementCheck(request_id=request.id, requirement_key=requirement_key)
        session.add(check)
    check.verdict, check.reason = verdict, reason
    check.checked_by_id, check.checked_at = actor.id, now
    record_event(session, request, "requirement_checked", now=now, from_status=request.status,
                 actor=actor, task=task, internal=True,
                 data={"requirement": requirement_key, "verdict": verdict.value,
                       "reason": reason})
    return check


def _unchecked(session: Session, request: ServiceRequest) -> tuple[list[Requirement],
                                                                      dict[str, RequirementCheck]]:
    checks = checks_of(session, request)
    return [r for r in request_requirements(request) if r.key not in checks], checks


def record_file_complete(session: Session, *, actor: User, task_id: int, now: datetime,
                         calendar: CityCalendar = DEFAULT_CALENDAR) -> ServiceRequest:
    """"Berkas lengkap": every requirement checked and each one sesuai (an optional one may be
    kurang); the clock of a service counted from a complete file starts now."""
    task, request = _first_stage_task(session, actor, task_id, Action.APPROVE)
    unchecked, checks = _unchecked(session, request)
    failing = [r for r in request_requirements(request)
               if r.key in checks and checks[r.key].verdict is not Verdict.SESUAI
               and not (checks[r.key].verdict is Verdict.KURANG and not r.required)]
    if unchecked or failing:
        names = ", ".join(r.name("id") for r in unchecked + failing)
        raise ValidationFailed(Message("berkas.not_checked", {"requirements": names}))
    mark_file_complete(session, actor, task, request, now, calendar,
                       data={"checked": len(checks)})
    return request


def return_incomplete_file(session: Session, *, actor: User, task_id: int, note: str = "",
                           now: datetime) -> Task:
    """"Berkas tidak lengkap": the request goes back to the citizen, clock stopped, with the
    requirements marked tidak sesuai or kurang as the documents to fix."""
    task, request = _first_stage_task(session, actor, task_id, Action.RETURN)
    checks = checks_of(session, request)
    to_fix = [r for r in request_requirements(request)
              if r.key in checks and checks[r.key].verdict is not Verdict.SESUAI]
    if not to_fix:
        raise ValidationFailed("berkas.not_incomplete")
    lang = request.language
    lines = [f"{r.name(lang)}: {checks[r.key].reason}" if checks[r.key].reason
             else r.name(lang) for r in to_fix]
    note = (note or "").strip() or "; ".join(lines)
    return return_for_information(session, actor=actor, task_id=task.id, note=note, now=now,
                                  documents=[r.key for r in to_fix])


def documents_to_fix(session: Session, request: ServiceRequest) -> list[RequirementFile]:
    """What the citizen is asked to hand in again: each requirement returned and why."""
    keys = set(returned_documents(request))
    return [item for item in request_file(session, request) if item.requirement.key in keys]


def returned_documents(request: ServiceRequest) -> list[str]:
    """The requirement keys of the latest return for a complete file still waiting."""
    waiting = [e for e in request.events if e.kind == "information_requested"
               and (e.data or {}).get("documents")]
    return list(waiting[-1].data["documents"]) if waiting else []


def replace_documents(session: Session, request: ServiceRequest, documents: Mapping[str,
                      Sequence[str]], *, now: datetime) -> list[str]:
    """The citizen's new documents for the requirements returned to them, and only those: the
    earlier ones are kept as replaced, the clerk's verdict on them cleared for a new check."""
    allowed = set(returned_documents(request))
    refused = {f"documents.{key}": Message("berkas.not_returned",
                                           {"asked": ", ".join(sorted(allowed))})
               for key in documents if key not in allowed}
    if refused:
        raise ValidationFailed("information.only_asked", fields=refused)
    uploads = loose_uploads(session, documents, now=now)
    kept = sum(u.size for key, items in current_documents(session, request).items()
               if key not in documents for u in items)
    requirements = version_requirements(request.service_version)
    if errors := check_documents(requirements, request.answers, uploads, already=kept):
        raise ValidationFailed("answers.need_fixing", fields=errors)
    for key, items in uploads.items():
        for old in current_documents(session, request).get(key, []):
            old.replaced_at = now
        for upload in items:
            upload.request, upload.requirement_key, upload.linked_at = request, key, now
    session.execute(delete(RequirementCheck).where(
        RequirementCheck.request_id == request.id,
        RequirementCheck.requirement_key.in_(list(uploads))))
    return sorted(uploads)
