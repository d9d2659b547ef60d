"""Taking the survey: at most one response per request, stored without the applicant.

How "one per request" and "not linkable" are both kept: the response row (survey_response)
carries no request id and no digest of one; a separate row in survey_taken, keyed by the
subject ("request:<id>"), is inserted in the same transaction, and its primary key makes the
database refuse a second survey for the request, whoever sends it and however close together.
survey_taken holds no time, no order column and no pointer, so nothing joins the two.

A keyed digest of the request id in survey_response (or a nullable unique request_id) would
put the link inside the table every report reads: request ids are small sequential integers,
so whoever holds the key (every app host) recomputes the digest of each request in
milliseconds and joins responses to applicants. The response also takes no event in the
request's history, for the same reason. What is left: a database administrator who reads the
two tables' physical row order could pair rows made in the same moment; reports, the API and
the CLI never read survey_taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.clock import utcnow
from services.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from services.ikm.index import check_answers
from services.ikm.questionnaire import ELEMENT_KEYS
from services.models import (
    Channel,
    Complaint,
    ComplaintStatus,
    ForwardingState,
    RequestStatus,
    ServiceRequest,
    SurveyResponse,
    SurveySource,
    SurveyTaken,
    TaskStatus,
)

# Requests whose service has been delivered (or refused): the survey is about them.
FINISHED = frozenset({RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.COMPLETED})
# Complaints an agency has answered (whatever the citizen then said about the answer).
ANSWERED_COMPLAINT = frozenset({
    ComplaintStatus.ANSWERED, ComplaintStatus.REOPEN_REQUESTED, ComplaintStatus.RESOLVED,
    ComplaintStatus.CLOSED, ComplaintStatus.CLOSED_UNCONFIRMED})
ALREADY_ANSWERED = "ikm.already_answered"
# A signing salt's name, not a password (bandit B105).
TOKEN_SALT = "ikm-survey"  # nosec B105
TOKEN_MAX_AGE = 7 * 24 * 3600  # seconds: a link handed out after a look-up or an answer


def survey_offered(status: RequestStatus) -> bool:
    """Whether a request in this status is offered the survey."""
    return status in FINISHED


def request_subject(request_id: int) -> str:
    return f"request:{request_id}"


@dataclass(frozen=True)
class SurveySubject:
    """What a response is about, without who gave it."""

    key: str  # the uniqueness key in survey_taken, e.g. "request:42"
    agency_id: int
    service_id: int | None
    service_version_id: int | None
    channel: Channel | None
    kiosk_id: int | None


def subject_for_request(request: ServiceRequest) -> SurveySubject:
    """A finished request's subject: its service and version, how and where it was filed,
    and the agency that decided it (the last task done)."""
    if not survey_offered(request.status):
        raise InvalidTransition("ikm.not_finished")
    done = [task for task in request.tasks if task.status is TaskStatus.DONE]
    if not done:
        raise InvalidTransition("ikm.not_finished")
    deciding = max(done, key=lambda task: (task.done_at or request.created_at, task.id))
    version = request.service_version
    return SurveySubject(
        key=request_subject(request.id), agency_id=deciding.agency_id,
        service_id=version.service_id, service_version_id=version.id,
        channel=request.channel, kiosk_id=request.kiosk_id,
    )


def complaint_subject(complaint_id: int) -> str:
    return f"complaint:{complaint_id}"


def complaint_survey_offered(complaint: Complaint) -> bool:
    """Whether a complaint is offered the survey: once an agency has answered it."""
    return complaint.status in ANSWERED_COMPLAINT and any(
        f.state is ForwardingState.ANSWERED for f in complaint.forwardings)


def subject_for_complaint(complaint: Complaint) -> SurveySubject:
    """An answered complaint's subject: the agency that answered it last (the one whose
    handling the citizen has just read), how and where it was filed, and no service (a
    complaint is about the agency; it moves the agency's IKM, not a service's)."""
    answered = [f for f in complaint.forwardings if f.state is ForwardingState.ANSWERED]
    if complaint.status not in ANSWERED_COMPLAINT or not answered:
        raise InvalidTransition("ikm.complaint_not_answered")
    last = max(answered, key=lambda f: (f.answered_at or complaint.created_at, f.id))
    return SurveySubject(key=complaint_subject(complaint.id), agency_id=last.agency_id,
                         service_id=None, service_version_id=None,
                         channel=complaint.channel, kiosk_id=complaint.kiosk_id)


# What each kind of survey key names, and how its subject is found.
_SUBJECTS = {
    "request": (ServiceRequest, subject_for_request),
    "complaint": (Complaint, subject_for_complaint),
}


def resolve_subject(session: Session, key: str) -> SurveySubject:
    """The subject a signed link or a look-up names: "request:<id>" or "complaint:<id>"."""
    kind, _, ident = key.partition(":")
    if kind in _SUBJECTS and ident.isdigit():
        model, subject_of = _SUBJECTS[kind]
        found = session.get(model, int(ident))
        if found is not None:
            return subject_of(found)
    raise NotFound("ikm.no_such_survey")


def already_answered(session: Session, key: str) -> bool:
    return bool(session.scalar(select(exists().where(SurveyTaken.subject == key))))


def period_of(moment: datetime, tz: str) -> str:
    """The month (YYYY-MM) a moment falls in, in the city's time zone."""
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m")


def parse_answers(form: dict[str, object]) -> tuple[int, ...]:
    """Nine answers u1..u9 from submitted values; ValidationFailed names each missing one."""
    answers: list[int] = []
    problems: dict[str, str] = {}
    for key in ELEMENT_KEYS:
        raw = str(form.get(key) or "").strip()
        if raw not in ("1", "2", "3", "4"):
            problems[key] = "ikm.choose_one"
            continue
        answers.append(int(raw))
    if problems:
        raise ValidationFailed("ikm.answer_every_question", fields=problems)
    return tuple(answers)


def record_survey(session: Session, subject: SurveySubject, answers: tuple[int, ...], *,
                  source: SurveySource, tz: str, now: datetime | None = None) -> SurveyResponse:
    """Store one response for the subject; Conflict if it already has one (the database
    decides, so two sent at the same moment store one). The caller commits."""
    check_answers(answers)
    now = now or utcnow()
    try:
        with session.begin_nested():
            session.add(SurveyTaken(subject=subject.key))
    except IntegrityError:
        raise Conflict(ALREADY_ANSWERED) from None
    response = SurveyResponse(
        service_id=subject.service_id, service_version_id=subject.service_version_id,
        agency_id=subject.agency_id, channel=subject.channel, kiosk_id=subject.kiosk_id,
        period=period_of(now, tz), source=source, created_at=now,
        **dict(zip(ELEMENT_KEYS, answers, strict=True)),
    )
    session.add(response)
    session.flush()
    return response


def answer_survey(session: Session, key: str, form: dict[str, object], *,
                  source: SurveySource, tz: str, now: datetime | None = None) -> SurveyResponse:
    """The citizen's survey for a subject named by a signed link or a look-up."""
    subject = resolve_subject(session, key)
    if already_answered(session, key):
        raise Conflict(ALREADY_ANSWERED)
    return record_survey(session, subject, parse_answers(form), source=source, tz=tz, now=now)


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=TOKEN_SALT)


def survey_token(secret: str, key: str) -> str:
    """A signed, expiring token naming the subject, for a link to the survey page (e.g. from
    a complaint's answer: ``url_for('track.survey_link', token=survey_token(...))``)."""
    return _serializer(secret).dumps({"s": key})


def subject_key_from_token(secret: str, token: str, max_age: int = TOKEN_MAX_AGE) -> str:
    try:
        claims = _serializer(secret).loads(token, max_age=max_age)
    except BadSignature:
        raise NotFound("ikm.link_invalid") from None
    key = claims.get("s") if isinstance(claims, dict) else None
    if not isinstance(key, str):
        raise NotFound("ikm.link_invalid")
    return key
