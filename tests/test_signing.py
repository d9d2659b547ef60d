# ruff: noqa: F811  (signing_world, from tests.signing_support, is a test parameter here)
"""The signing stage: the clerk's approval prepares the draft decision, the agency's official
signs it through the real (loopback) CSC signing service, or sends it back."""

import logging
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.db import Base
from services.errors import DomainError, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from services.models import (
    IssuedDocument,
    RequestStatus,
    Role,
    ServiceRequest,
    Task,
    TaskStatus,
    User,
    WorkflowStep,
)
from services.signing.access import SIGNING_ATTEMPTS, may_sign
from services.signing.decisions import (
    PassphraseRefused,
    return_to_clerk,
    sign_decisions,
    signing_queue,
)
from services.workflow.queues import agency_queue, claim_next_task
from services.workflow.tasks import StepRecord, approve_task
from tests.builders import WEDNESDAY
from tests.builders.signing import (
    CITY,
    RECORDS,
    make_signing_city,
    render,
    waiting_for_signature,
)
from tests.builders.workflow import open_task
from tests.signing_support import PASSPHRASE, signing_world  # noqa: F401

LATER = WEDNESDAY + timedelta(hours=2)


@pytest.fixture
def staff(session):
    return make_signing_city(session)


def _sign(session, world, official, *requests, passphrase=PASSPHRASE):
    tasks = [open_task(session, request, "DPUPR").id for request in requests]
    return sign_decisions(session, actor=official, task_ids=tasks, passphrase=passphrase,
                          signing=world.service, render=render, location=CITY, now=LATER)


# ------------------------------------------------------------------ who may sign (pure)

def _actor(role, agency_id, **extra):
    return User(role=role, agency_id=agency_id, **{"active": True, **extra})


def _signing_task(agency_id=1, status=TaskStatus.READY, signs=True):
    return Task(agency_id=agency_id, status=status, step=WorkflowStep(signs=signs))


@pytest.mark.parametrize(("actor", "task", "allowed"), [
    (_actor(Role.OFFICIAL, 1), _signing_task(1), True),
    (_actor(Role.OFFICIAL, 2), _signing_task(1), False),  # another agency's official
    (_actor(Role.CLERK, 1), _signing_task(1), False),
    (_actor(Role.SUPERVISOR, 1), _signing_task(1), False),
    (_actor(Role.ADMIN, None), _signing_task(1), False),
    (_actor(Role.LEADERSHIP, None), _signing_task(1), False),
    (_actor(Role.OFFICIAL, 1, active=False), _signing_task(1), False),
    (_actor(Role.OFFICIAL, 1), _signing_task(1, signs=False), False),  # a clerk's step
    (_actor(Role.OFFICIAL, 1), _signing_task(1, status=TaskStatus.DONE), False),
    (_actor(Role.OFFICIAL, 1, signing_locked_until=WEDNESDAY + timedelta(minutes=5)),
     _signing_task(1), False),
    (_actor(Role.OFFICIAL, 1, signing_locked_until=WEDNESDAY - timedelta(minutes=5)),
     _signing_task(1), True),
])
def test_only_an_active_official_of_the_agency_signs_a_waiting_decision(actor, task, allowed):
    request = ServiceRequest(status=RequestStatus.IN_PROGRESS)
    assert may_sign(actor, task, request, WEDNESDAY) is allowed


def test_a_decision_of_a_closed_request_cannot_be_signed():
    official = _actor(Role.OFFICIAL, 1)
    for status in (RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.NEEDS_INFO,
                   RequestStatus.CANCELLED):
        assert not may_sign(official, _signing_task(1), ServiceRequest(status=status), WEDNESDAY)


# ------------------------------------------------------------------ the stage

def test_the_clerks_approval_prepares_the_draft_and_the_request_is_not_yet_issued(
        session, staff):
    request = waiting_for_signature(session, staff)
    assert request.status is RequestStatus.IN_PROGRESS and request.decided_at is None
    document = session.scalar(select(IssuedDocument))
    assert document.signed_at is None and document.signed_pdf is None
    assert document.number == f"650/{request.id:05d}/DPUPR/2026"
    assert ["KDB", "60 %"] in document.content["facts"]
    assert ["Peruntukan", "Hunian"] in document.content["facts"]
    assert document.content["about"] == "PENERBITAN KETERANGAN RENCANA KOTA"
    assert [t.id for t in signing_queue(session, actor=staff["kepala.pupr"])] \
        == [open_task(session, request, "DPUPR").id]
    assert signing_queue(session, actor=staff["kepala.dpmptsp"]) == []
    assert signing_queue(session, actor=staff["clerk.pupr"]) == []


def test_the_signing_step_is_not_clerks_work(session, staff):
    request = waiting_for_signature(session, staff)
    task = open_task(session, request, "DPUPR")
    for who in ("clerk.pupr", "spv.pupr"):
        assert task not in agency_queue(session, actor=staff[who])
        with pytest.raises(NotAllowed):
            approve_task(session, actor=staff[who], task_id=task.id)
    assert claim_next_task(session, actor=staff["clerk.pupr"]) is None


def test_a_draft_needs_the_facts_the_clerk_records(session, staff):
    from tests.builders.workflow import submit

    request, _ = submit(session, "KRK", land_address="Jl. Mawar 3", planned_use="hunian")
    with pytest.raises(ValidationFailed) as refused:
        approve_task(session, actor=staff["clerk.pupr"], city=CITY,
                     task_id=open_task(session, request, "DPUPR").id,
                     record=StepRecord(decision_records={"kdb": "60"}))
    assert set(refused.value.fields) == {"record_klb", "record_gsb"}


def test_the_official_signs_and_the_request_is_issued_with_the_decision_text(
        session, staff, signing_world, tmp_path):
    request = waiting_for_signature(session, staff)
    [signed] = _sign(session, signing_world, staff["kepala.pupr"], request)
    session.commit()
    document = signed.document
    assert request.status is RequestStatus.APPROVED and request.decided_at == LATER
    assert document.signed_at == LATER and document.signed_by_id == staff["kepala.pupr"].id
    assert document.signer_jabatan == "Kepala Dinas Pekerjaan Umum dan Penataan Ruang"
    assert document.signer.startswith("Ir. Bambang Wijaya")  # the certificate's subject
    assert document.timestamp_expires_at is not None
    event = request.events[-1]
    assert event.kind == "request_approved" and event.actor_id == staff["kepala.pupr"].id
    path = tmp_path / "krk.pdf"
    path.write_bytes(document.signed_pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("KEPUTUSAN KEPALA AGENCY DPUPR KOTA CONTOH",
                     "TENTANG", "Menimbang", "Mengingat", "MEMUTUSKAN", "KESATU",
                     "Jl. Mawar 3 <RT 01>", "60 %", "NIP 19700101 199503 1 001",
                     "Balai Besar Sertifikasi Elektronik (BSrE), BSSN"):
        assert expected in " ".join(text.split()) or expected in text, expected


def test_a_batch_signs_each_decision_with_its_own_record(session, staff, signing_world):
    requests = [waiting_for_signature(session, staff) for _ in range(3)]
    signed = _sign(session, signing_world, staff["kepala.pupr"], *requests)
    session.commit()
    assert len({s.document.pdf_sha256 for s in signed}) == 3
    for request in requests:
        assert request.status is RequestStatus.APPROVED
        assert [e.kind for e in request.events].count("request_approved") == 1


@pytest.mark.parametrize("who", ["clerk.pupr", "spv.pupr", "kepala.dpmptsp"])
def test_a_clerk_or_an_official_of_another_agency_cannot_sign(session, staff, signing_world,
                                                              who):
    request = waiting_for_signature(session, staff)
    with pytest.raises((NotAllowed, NotFound)):
        _sign(session, signing_world, staff[who], request)
    assert request.status is RequestStatus.IN_PROGRESS
    assert session.scalar(select(IssuedDocument)).signed_pdf is None


def test_a_wrong_passphrase_signs_nothing_and_counts_toward_a_lockout(session, staff,
                                                                      signing_world):
    request = waiting_for_signature(session, staff)
    official = staff["kepala.pupr"]
    for attempt in range(1, SIGNING_ATTEMPTS + 1):
        with pytest.raises(PassphraseRefused) as refused:
            _sign(session, signing_world, official, request, passphrase="bukan-ini")
        assert refused.value.keeps_changes
        session.commit()  # as the web layer does for a refusal that keeps its changes
        assert official.signing_failures == attempt
        assert session.scalar(select(IssuedDocument)).signed_pdf is None
    assert official.signing_locked_until == LATER + timedelta(minutes=30)
    with pytest.raises(DomainError) as locked:  # even the right passphrase waits now
        _sign(session, signing_world, official, request)
    assert locked.value.message.code == "sign.locked"
    assert request.status is RequestStatus.IN_PROGRESS


def test_sending_back_reopens_the_clerks_task_and_a_new_approval_returns_it(
        session, staff, signing_world):
    request = waiting_for_signature(session, staff)
    signing = open_task(session, request, "DPUPR")
    with pytest.raises(ValidationFailed):
        return_to_clerk(session, actor=staff["kepala.pupr"], task_id=signing.id, note=" ")
    again = return_to_clerk(session, actor=staff["kepala.pupr"], task_id=signing.id,
                            note="GSB salah: 5 m menurut RDTR.", now=LATER)
    session.commit()
    assert again.status is TaskStatus.READY and again.note.startswith("GSB salah")
    assert session.scalar(select(IssuedDocument)) is None
    assert signing_queue(session, actor=staff["kepala.pupr"]) == []
    assert request.events[-1].kind == "signing_returned"
    with pytest.raises(InvalidTransition):
        return_to_clerk(session, actor=staff["kepala.pupr"], task_id=signing.id, note="lagi")
    approve_task(session, actor=staff["clerk.pupr"], task_id=again.id, city=CITY,
                 record=StepRecord(decision_records={**RECORDS, "gsb": "5"}))
    session.commit()
    assert ["GSB", "5 m"] in session.scalar(select(IssuedDocument)).content["facts"]
    [signed] = _sign(session, signing_world, staff["kepala.pupr"], request)
    assert signed.request.status is RequestStatus.APPROVED


def test_the_passphrase_reaches_no_log_and_no_database_row(session, staff, signing_world,
                                                           caplog):
    caplog.set_level(logging.DEBUG)
    request = waiting_for_signature(session, staff)
    wrong = "salah-" + PASSPHRASE
    with pytest.raises(PassphraseRefused):
        _sign(session, signing_world, staff["kepala.pupr"], request, passphrase=wrong)
    session.commit()
    _sign(session, signing_world, staff["kepala.pupr"], request)
    session.commit()
    logged = "\n".join(record.getMessage() + repr(record.args) + str(record.exc_info)
                       for record in caplog.records)
    assert logged  # the signing service and pyHanko did log
    for secret in (PASSPHRASE, wrong):
        assert secret not in logged
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                assert secret not in repr(tuple(row)), table.name
                assert secret.encode() not in b"".join(
                    value for value in row if isinstance(value, bytes))
