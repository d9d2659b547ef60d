"""Builders for workflow tests: a small city catalog, its staff, and submitted requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from services.models import Agency, Channel, Role, ServiceRequest, Task, User
from services.submission import Submission, submit_request
from services.unit_of_work import UnitOfWork
from tests.builders import (
    APPLICANT,
    FAST_PASSWORD_HASH,
    PASSWORD,
    PINS,
    SECRET,  # noqa: F401  (workflow tests take it from here)
    WEDNESDAY,
    bilingual,
    field_def,
    make_catalog,
    service_def,
    step_def,
)

AGENCIES = ["DPMPTSP", "DPUPR", "DLH", "KEC-UTARA", "KEC-SELATAN"]


def choice(value: str) -> dict[str, Any]:
    return {"value": value, "label": bilingual(value.title())}


def pbg_service() -> dict[str, Any]:
    """Building approval: intake, then a technical review for large buildings beside an
    environmental check, then the decision; intake may be forwarded to Dinas PUPR."""
    return service_def(
        "PBG",
        fields=[field_def("floor_area", type="number", constraints={"min": 1}),
                field_def("purpose", required=False)],
        workflow=[
            step_def("DPMPTSP", stage=1, sla_days=2, forward_to=["DPUPR"]),
            step_def("DPUPR", stage=2, sla_days=5,
                     condition={"field": "floor_area", "op": "gt", "value": 500}),
            step_def("DLH", stage=2, sla_days=3),
            step_def("DPMPTSP", stage=3, sla_days=2),
        ],
        product_validity_days=1825,
    )


def sktm_service() -> dict[str, Any]:
    """A letter from the applicant's own kecamatan, chosen by an answer."""
    return service_def(
        "SKTM",
        fields=[field_def("kecamatan", type="choice",
                          choices=[choice("utara"), choice("selatan")])],
        workflow=[step_def(None, stage=1, sla_days=3, agency_from={
            "field": "kecamatan", "map": {"utara": "KEC-UTARA", "selatan": "KEC-SELATAN"}})],
    )


_PASSWORD_HASH = generate_password_hash(PASSWORD, method=FAST_PASSWORD_HASH)  # staff per test


def make_staff(session: Session, username: str, role: Role, agency: str) -> User:
    """A staff account (password tests.builders.PASSWORD) without hashing it again."""
    agency_id = session.scalar(select(Agency.id).where(Agency.code == agency))
    user = User(username=username, full_name=username.replace(".", " ").title(),
                password_hash=_PASSWORD_HASH, role=role, agency_id=agency_id)
    session.add(user)
    return user


def make_city(session: Session) -> dict[str, User]:
    """The catalog and one clerk (two at DPMPTSP) and a supervisor per agency."""
    make_catalog(session, pbg_service(), sktm_service(), agencies=AGENCIES)
    staff = {}
    for code in AGENCIES:
        slug = code.lower()
        staff[f"clerk.{slug}"] = make_staff(session, f"clerk.{slug}", Role.CLERK, code)
        staff[f"spv.{slug}"] = make_staff(session, f"spv.{slug}", Role.SUPERVISOR, code)
    staff["clerk2.dpmptsp"] = make_staff(session, "clerk2.dpmptsp", Role.CLERK, "DPMPTSP")
    session.commit()
    return staff


def submit(session: Session, service: str = "PBG", now: datetime | None = None,
           **answers: Any) -> tuple[ServiceRequest, str]:
    """Submit a request; return it and its PIN."""
    if not answers:
        answers = {"floor_area": 750} if service == "PBG" else {"kecamatan": "utara"}
    with UnitOfWork(session, keep_loaded=True):
        result = submit_request(session, Submission(service_code=service, applicant=APPLICANT,
                                                    answers=answers, channel=Channel.WEB),
                                pins=PINS, now=now or WEDNESDAY)
    return result.request, result.pin


def open_task(session: Session, request: ServiceRequest, agency: str) -> Task:
    """The request's ready or claimed task in an agency's queue."""
    session.expire_all()
    return next(t for t in session.scalars(select(Task).where(Task.request_id == request.id))
                if t.agency.code == agency and t.status.value in ("ready", "claimed"))


def returned_for_information(session: Session, note: str = "Kirim luas lantai 2.",
                             fields: list[str] | None = None) -> tuple[ServiceRequest, str]:
    """A PBG request that DPMPTSP's clerk claimed and returned to the citizen asking for
    ``note`` (flagging ``fields``); it and its PIN (the session is committed and closed)."""
    from services.workflow.queues import claim_task
    from services.workflow.tasks import return_for_information

    staff = make_city(session)
    request, pin = submit(session, "PBG")
    clerk = staff["clerk.dpmptsp"]
    task = open_task(session, request, "DPMPTSP")
    claim_task(session, actor=clerk, task_id=task.id)
    return_for_information(session, actor=clerk, task_id=task.id, note=note,
                           fields=fields or [])
    session.commit()
    session.close()
    return request, pin
