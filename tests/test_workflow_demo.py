"""The Kota Contoh demo catalog end to end: a PBG request through DPMPTSP, the conditional
Dinas PUPR and DLH reviews, and the decision, with the demo accounts."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.demo import load_demo
from services.models import Channel, IssuedDocument, RequestStatus, TaskStatus, User
from services.submission import Submission, submit_request
from services.timeline import citizen_timeline
from services.workflow.queues import claim_next_task
from services.workflow.tasks import StepRecord, approve_task, complete_request, needs_record
from tests.builders import PINS
from tests.builders.payments import pay_bill
from tests.builders.workflow import APPLICANT

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def pbg(session, **answers):
    base = {"building_function": "hunian", "building_address": "Jl. Kenanga 7, Kota Contoh",
            "land_certificate_number": "SHM 1234", "floor_area_m2": 120, "floors": 2,
            "has_previous_permit": False}
    return submit_request(session, Submission(service_code="PBG", applicant=APPLICANT,
                                              answers={**base, **answers},
                                              channel=Channel.KIOSK),
                          pins=PINS, now=MONDAY).request


def work(session, clerks, username, request, when):
    clerk = clerks[username]
    task = claim_next_task(session, actor=clerk, now=when)
    assert task is not None and task.request_id == request.id, username
    record = StepRecord(assessed_fee=1_250_000, fee_reference=f"SKRD/PBG/{request.id}") \
        if needs_record(task)["fee"] else None
    approve_task(session, actor=clerk, task_id=task.id, now=when, note="Sesuai", record=record)
    session.commit()


def test_every_building_goes_through_tpa_tpt_and_a_shop_also_through_the_environmental_review(
        session, worded):
    load_demo(session)
    session.commit()
    clerks = {u.username: u for u in session.scalars(select(User))}
    small_house = pbg(session)
    large_shop = pbg(session, building_function="usaha", floor_area_m2=750)
    stage2 = sorted(t.agency.code for t in large_shop.tasks if t.stage == 2
                    and t.status is TaskStatus.PENDING)
    assert stage2 == ["DLH", "DPUPR"]
    # Every PBG is consulted with the TPA/TPT (PP 16/2021), a small house too; DLH is not asked.
    assert sorted((t.agency.code, t.status) for t in small_house.tasks if t.stage == 2) == [
        ("DLH", TaskStatus.SKIPPED), ("DPUPR", TaskStatus.PENDING)]

    day = timedelta(days=1)
    work(session, clerks, "clerk.dpmptsp", small_house, MONDAY + day)
    assert [t.status for t in small_house.tasks
            if t.stage == 2 and t.agency.code == "DPUPR"] == [TaskStatus.READY]
    work(session, clerks, "clerk.dpmptsp", large_shop, MONDAY + day)
    work(session, clerks, "clerk.pupr", small_house, MONDAY + 2 * day)  # the TPA/TPT
    work(session, clerks, "clerk.pupr", small_house, MONDAY + 2 * day)  # its SKRD, due first
    work(session, clerks, "clerk.pupr", large_shop, MONDAY + 2 * day)  # the TPA/TPT
    assert large_shop.status is RequestStatus.IN_PROGRESS
    work(session, clerks, "clerk.dlh", large_shop, MONDAY + 3 * day)
    work(session, clerks, "clerk.pupr", large_shop, MONDAY + 3 * day)  # the SKRD
    assert {small_house.status, large_shop.status} == {RequestStatus.AWAITING_PAYMENT}
    pay_bill(session, small_house, MONDAY + 3 * day)
    pay_bill(session, large_shop, MONDAY + 4 * day)
    work(session, clerks, "clerk.dpmptsp", small_house, MONDAY + 4 * day)
    work(session, clerks, "clerk.dpmptsp", large_shop, MONDAY + 4 * day)
    assert {small_house.status, large_shop.status} == {RequestStatus.APPROVED}
    numbers = sorted(d.number for d in session.scalars(select(IssuedDocument)))
    assert numbers == [f"DPMPTSP/PBG/2026/{r.id:07d}" for r in (small_house, large_shop)]
    complete_request(session, actor=clerks["clerk.dpmptsp"],
                     tracking_code=large_shop.tracking_code, now=MONDAY + 5 * day)
    session.commit()
    texts = worded(citizen_timeline(large_shop, "en"), "en")
    assert texts[0] == "Your request was received."
    assert any("Dinas Pekerjaan Umum" in text or "Public Works" in text for text in texts)
    assert texts[-1] == "The document was handed to you. Your request is complete."
