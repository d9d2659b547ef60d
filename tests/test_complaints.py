"""Complaint use cases: filing, the coordinator's forwarding, agencies' answers, the citizen's
rating, reopen decisions, publishing and the sweep."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from services.city_calendar import DEFAULT_CALENDAR
from services.complaints import citizen, handling
from services.complaints.filing import find_complaint
from services.complaints.read_models import (
    BoardFilter,
    agency_complaint,
    agency_queue,
    complaint_figures,
    coordinator_inbox,
    public_board,
)
from services.complaints.sweep import sweep_complaints
from services.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from services.models import (
    ComplaintEvent,
    ComplaintStatus,
    ForwardingState,
    Privacy,
    ReopenDecision,
)
from tests.builders import PINS
from tests.builders.complaints import (
    NAME,
    NIK,
    PHONE,
    WEDNESDAY,
    file,
    make_complaint_city,
)

ANSWER = "Petugas loket sudah ditegur dan antrean kini memakai nomor urut elektronik."


@pytest.fixture
def staff(session):
    return make_complaint_city(session)


def jakarta_end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 16, 59, 59, tzinfo=UTC)  # 23:59:59 WIB


def forward(session, staff, code, *agencies, now=WEDNESDAY):
    handling.forward_complaint(session, actor=staff["koordinator"], tracking_code=code,
                               agency_codes=list(agencies) or ["DINKES"], note="Mohon ditindaklanjuti.",
                               now=now, calendar=DEFAULT_CALENDAR)
    session.commit()


def answer(session, staff, code, agency="dinkes", now=WEDNESDAY + timedelta(days=1)):
    handling.answer_complaint(session, actor=staff[f"clerk.{agency}"], tracking_code=code,
                              answer=ANSWER, now=now, calendar=DEFAULT_CALENDAR)
    session.commit()


def test_filing_gives_a_code_and_pin_and_waits_for_the_coordinator(session, staff):
    result = file(session)
    complaint = result.complaint
    assert complaint.status is ComplaintStatus.SUBMITTED
    assert find_complaint(session, complaint.tracking_code, result.pin, PINS) is complaint
    with pytest.raises(NotFound):
        find_complaint(session, complaint.tracking_code, "000000" if result.pin != "000000"
                       else "111111", PINS)
    # Wednesday + 3 working days: Monday 30 November.
    assert complaint.forward_due_at == jakarta_end_of(date(2026, 11, 30))
    assert [e.kind for e in complaint.events] == ["submitted"]
    assert NAME not in complaint.events[0].actor_label


def test_anonymous_complaint_asks_no_identity(session, staff):
    complaint = file(session, privacy="anonymous").complaint
    assert (complaint.complainant_nik, complaint.complainant_name,
            complaint.complainant_phone) == (None, None, None)
    with pytest.raises(ValidationFailed) as refused:
        file(session, privacy="anonymous", name=NAME)
    assert "name" in refused.value.fields


@pytest.mark.parametrize(("changes", "field"), [
    ({"description": "terlalu pendek"}, "description"),
    ({"category": "tidak-ada"}, "category"),
    ({"privacy": "public", "phone": ""}, "phone"),
    ({"privacy": "rahasia"}, "privacy"),
    ({"nik": "1234"}, "nik"),
])
def test_bad_filing_names_the_field_and_stores_nothing(session, staff, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        file(session, **changes)
    assert field in refused.value.fields
    assert session.scalars(select(ComplaintEvent)).all() == []


def test_same_idempotency_key_returns_the_first_complaint_and_pin(session, staff):
    first = file(session, idempotency_key="api:K1:abc")
    again = file(session, idempotency_key="api:K1:abc")
    assert again.complaint.id == first.complaint.id and again.pin == first.pin
    assert not again.created


def test_deadlines_count_working_days_across_holidays(session):
    # Friday 27 November and Monday 30 November are holidays.
    staff = make_complaint_city(session, holidays=(date(2026, 11, 27), date(2026, 11, 30)))
    complaint = file(session).complaint
    # Wednesday + 3 working days: Thu 26, (Fri 27, Sat, Sun, Mon 30 off), Tue 1, Wed 2.
    assert complaint.forward_due_at == jakarta_end_of(date(2026, 12, 2))
    forward(session, staff, complaint.tracking_code)
    # Forwarded on Wednesday: 5 working days are Thu 26, Tue 1, Wed 2, Thu 3, Fri 4.
    assert complaint.forwardings[0].due_at == jakarta_end_of(date(2026, 12, 4))
    answer(session, staff, complaint.tracking_code, now=WEDNESDAY + timedelta(days=1))
    # Answered Thursday 26: ten working days to rate, from Tue 1 (the holidays skipped) to
    # Mon 14 December.
    assert complaint.confirm_due_at == jakarta_end_of(date(2026, 12, 14))


def test_category_sets_its_own_deadlines(session, staff):
    complaint = file(session, category="jalan").complaint
    assert complaint.forward_due_at == jakarta_end_of(date(2026, 11, 27))  # 2 working days
    forward(session, staff, complaint.tracking_code, "DPUPR")
    assert complaint.forwardings[0].due_at == jakarta_end_of(date(2026, 12, 9))  # 10 days


def test_whole_flow_answer_then_resolved_by_the_citizen(session, staff):
    result = file(session)
    code = result.complaint.tracking_code
    forward(session, staff, code, "DINKES", "DLH")
    complaint = result.complaint
    assert complaint.status is ComplaintStatus.FORWARDED
    answer(session, staff, code, "dinkes")
    assert complaint.status is ComplaintStatus.FORWARDED  # DLH has not answered yet
    answer(session, staff, code, "dlh")
    assert complaint.status is ComplaintStatus.ANSWERED
    assert complaint.resolved is None  # answered is not resolved
    citizen.rate_answer(session, complaint, rating=4, resolved=True, now=WEDNESDAY + timedelta(2))
    session.commit()
    assert complaint.status is ComplaintStatus.RESOLVED and complaint.rating == 4
    kinds = [e.kind for e in complaint.events]
    assert kinds == ["submitted", "forwarded", "forwarded", "answered", "answered", "resolved"]


def test_not_resolved_raises_a_reopen_request_the_coordinator_reopens(session, staff):
    complaint = file(session).complaint
    code = complaint.tracking_code
    forward(session, staff, code)
    answer(session, staff, code)
    citizen.rate_answer(session, complaint, rating=1, resolved=False,
                        reason="Masih dibentak kemarin.", now=WEDNESDAY + timedelta(days=2))
    session.commit()
    assert complaint.status is ComplaintStatus.REOPEN_REQUESTED
    assert complaint.reopen_requests[0].decision is None
    handling.decide_reopen(session, actor=staff["koordinator"], tracking_code=code, reopen=True,
                           note="Mohon periksa kembali jadwal petugas loket.",
                           now=WEDNESDAY + timedelta(days=3), calendar=DEFAULT_CALENDAR)
    session.commit()
    assert complaint.status is ComplaintStatus.FORWARDED
    assert complaint.reopen_requests[0].decision is ReopenDecision.REOPENED
    assert complaint.forwardings[0].state is ForwardingState.OPEN
    kinds = [e.kind for e in complaint.events]
    assert kinds[-2:] == ["reopen_requested", "reopened"]
    figures = complaint_figures(session)
    assert figures["reopen_requests"] == 1 and figures["reopen_reopened"] == 1


def test_coordinator_closes_a_reopen_request_with_a_published_reason(session, staff):
    complaint = file(session).complaint
    code = complaint.tracking_code
    forward(session, staff, code)
    answer(session, staff, code)
    citizen.rate_answer(session, complaint, rating=2, resolved=False, now=WEDNESDAY)
    session.commit()
    with pytest.raises(ValidationFailed):
        handling.decide_reopen(session, actor=staff["koordinator"], tracking_code=code,
                               reopen=False, note=" ", calendar=DEFAULT_CALENDAR, now=WEDNESDAY)
    handling.decide_reopen(session, actor=staff["koordinator"], tracking_code=code, reopen=False,
                           note="Tindak lanjut sudah sesuai standar pelayanan.", calendar=DEFAULT_CALENDAR, now=WEDNESDAY)
    session.commit()
    assert complaint.status is ComplaintStatus.CLOSED
    closed = complaint.events[-1]
    assert closed.kind == "closed" and closed.public_note
    assert complaint_figures(session)["reopen_closed"] == 1


def test_coordinator_sends_back_an_answer_that_does_not_answer(session, staff):
    complaint = file(session).complaint
    code = complaint.tracking_code
    forward(session, staff, code)
    answer(session, staff, code)
    handling.send_back_answer(session, actor=staff["koordinator"], tracking_code=code,
                              agency_code="DINKES", note="Jawaban belum menyebut tindakan.",
                              now=WEDNESDAY + timedelta(days=2), calendar=DEFAULT_CALENDAR)
    session.commit()
    forwarding = complaint.forwardings[0]
    assert complaint.status is ComplaintStatus.FORWARDED
    assert forwarding.state is ForwardingState.OPEN and forwarding.answer == ""
    assert complaint.events[-1].data["earlier_answer"] == ANSWER
    assert complaint.confirm_due_at is None


def test_only_the_coordinator_forwards_and_only_the_agency_answers(session, staff):
    complaint = file(session).complaint
    code = complaint.tracking_code
    with pytest.raises(NotAllowed):
        handling.forward_complaint(session, actor=staff["clerk.dinkes"], tracking_code=code,
                                   agency_codes=["DINKES"], calendar=DEFAULT_CALENDAR, now=WEDNESDAY)
    forward(session, staff, code)
    with pytest.raises(NotFound):  # DLH was not asked: it cannot even see the complaint
        handling.answer_complaint(session, actor=staff["clerk.dlh"], tracking_code=code,
                                  answer=ANSWER, calendar=DEFAULT_CALENDAR, now=WEDNESDAY)
    with pytest.raises(NotAllowed):
        handling.answer_complaint(session, actor=staff["koordinator"], tracking_code=code,
                                  answer=ANSWER, calendar=DEFAULT_CALENDAR, now=WEDNESDAY)
    answer(session, staff, code)
    with pytest.raises(InvalidTransition):
        answer(session, staff, code)


def test_agency_view_of_a_confidential_complaint_carries_no_identity(session, staff):
    complaint = file(session, privacy="confidential").complaint
    forward(session, staff, complaint.tracking_code)
    view = agency_complaint(session, actor=staff["clerk.dinkes"],
                            tracking_code=complaint.tracking_code, lang="id")
    rendered = repr(view) + repr(agency_queue(session, actor=staff["spv.dinkes"], view="open",
                                              lang="en"))
    for secret in (NIK, PHONE, NAME, *NAME.split()):
        assert secret not in rendered
    assert view.complainant is Privacy.CONFIDENTIAL and view.contact_phone == ""


def test_agency_view_of_a_public_complaint_names_the_complainant(session, staff):
    complaint = file(session, privacy="public").complaint
    forward(session, staff, complaint.tracking_code)
    view = agency_complaint(session, actor=staff["clerk.dinkes"],
                            tracking_code=complaint.tracking_code, lang="id")
    assert view.complainant == NAME and view.contact_phone == PHONE


def test_publishing_refuses_text_with_personal_data_and_board_shows_the_rest(session, staff):
    complaint = file(session, privacy="public").complaint
    code = complaint.tracking_code
    with pytest.raises(InvalidTransition):  # not verified yet
        handling.publish_complaint(session, actor=staff["koordinator"], tracking_code=code,
                                   public_text="Antrean lama di Puskesmas Sukamaju.", now=WEDNESDAY)
    forward(session, staff, code)
    for leaked in (NIK, PHONE, "Siti", "0813 not a phone but 081298765432"):
        with pytest.raises(ValidationFailed):
            handling.publish_complaint(session, actor=staff["koordinator"], tracking_code=code,
                                       public_text=f"Antrean lama di Puskesmas {leaked}.", now=WEDNESDAY)
    handling.publish_complaint(session, actor=staff["koordinator"], tracking_code=code,
                               public_text="Antrean lama dan petugas loket kasar di Puskesmas.", now=WEDNESDAY)
    answer(session, staff, code)
    board = public_board(session, BoardFilter(), "id")
    assert [b.tracking_code for b in board] == [code]
    assert board[0].complainant == "S. A. W."
    assert public_board(session, BoardFilter(agency="DLH"), "id") == []
    assert len(public_board(session, BoardFilter(agency="DINKES", category="kesehatan",
                                                 status="answered"), "id")) == 1


def test_coordinator_inbox_views(session, staff):
    first, second = file(session).complaint, file(session, privacy="anonymous").complaint
    forward(session, staff, second.tracking_code)
    inbox = coordinator_inbox(session, actor=staff["koordinator"], view="verify")
    assert [c.id for c in inbox] == [first.id]
    with pytest.raises(NotAllowed):
        coordinator_inbox(session, actor=staff["clerk.dinkes"], view="verify")


def test_sweep_escalates_late_work_once_and_closes_unconfirmed_answers(session, staff):
    late = file(session).complaint
    answered = file(session).complaint
    forward(session, staff, answered.tracking_code)
    answer(session, staff, answered.tracking_code)
    waiting = file(session).complaint
    forward(session, staff, waiting.tracking_code)
    later = WEDNESDAY + timedelta(days=30)
    result = sweep_complaints(session, now=later)
    session.commit()
    assert [c.id for c in result.forward_overdue] == [late.id]
    assert [f.complaint_id for f in result.answer_overdue] == [waiting.id]
    assert [c.id for c in result.closed_unconfirmed] == [answered.id]
    assert answered.status is ComplaintStatus.CLOSED_UNCONFIRMED
    assert answered.resolved is None
    again = sweep_complaints(session, now=later + timedelta(hours=1))
    assert (again.forward_overdue, again.answer_overdue, again.closed_unconfirmed) == ([], [], [])
    figures = complaint_figures(session)
    assert figures["closed_unconfirmed"] == 1 and figures["resolved"] == 0
    assert figures["forward_overdue"] == 1 and figures["answer_overdue"] == 1


def test_sweep_leaves_work_within_its_deadline(session, staff):
    file(session)
    result = sweep_complaints(session, now=WEDNESDAY + timedelta(days=1))
    assert (result.forward_overdue, result.answer_overdue, result.closed_unconfirmed) == ([], [], [])


def test_a_complainant_who_chose_whatsapp_is_told_of_each_answer_once(session, staff):
    from sqlalchemy import select

    from services.models import NotificationConsent, OutboxMessage
    result = file(session, privacy="public", notify="whatsapp")
    code = result.complaint.tracking_code
    consent = session.scalar(select(NotificationConsent))
    assert (consent.subject, consent.channel.value, consent.address) == (
        f"complaint:{code}", "whatsapp", PHONE)
    forward(session, staff, code)
    answer(session, staff, code)
    messages = session.scalars(select(OutboxMessage).where(
        OutboxMessage.event_kind == "complaint_answered")).all()
    assert [(m.subject, m.channel.value, m.recipient) for m in messages] == [
        (f"complaint:{code}", "whatsapp", PHONE)]
    assert messages[0].payload["params"]["path"] == f"/pengaduan/cek?code={code}"


def test_an_anonymous_complainant_gives_no_number_and_gets_no_message(session, staff):
    from sqlalchemy import func, select

    from services.models import NotificationConsent, OutboxMessage
    result = file(session, privacy="anonymous", notify="sms")
    forward(session, staff, result.complaint.tracking_code)
    answer(session, staff, result.complaint.tracking_code)
    assert session.scalar(select(func.count()).select_from(NotificationConsent)) == 0
    assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.subscriber_id.is_(None))) == 0


def test_an_agency_answers_within_its_own_working_days(session, staff):
    """A six-day agency's answer deadline counts its Saturdays; the coordinator's does not."""
    from services.models import Agency

    dinkes = session.scalar(select(Agency).where(Agency.code == "DINKES"))
    dinkes.work_week = "mon-sat"
    complaint = file(session).complaint
    # The coordinator (the city, Monday to Friday): Thu 26, Fri 27, Mon 30 November.
    assert complaint.forward_due_at == jakarta_end_of(date(2026, 11, 30))
    forward(session, staff, complaint.tracking_code, "DINKES", "DPUPR")
    due = {f.agency.code: f.due_at for f in complaint.forwardings}
    # Five working days from Wednesday 25: Thu, Fri, Sat 28, Mon 30, Tue 1 for Dinkes; Dinas
    # PUPR keeps Monday to Friday: Thu, Fri, Mon, Tue, Wed 2 December.
    assert due == {"DINKES": jakarta_end_of(date(2026, 12, 1)),
                   "DPUPR": jakarta_end_of(date(2026, 12, 2))}
