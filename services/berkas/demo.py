"""The demo's berkas: a PBG request filed with a scanned drawing (the caller scans it with
SANE's test device when it is installed, else passes the sample pages joined) and a
photographed land certificate, which the DPMPTSP demo
clerk has checked, marking the drawing tidak sesuai. Safe to repeat."""

from __future__ import annotations

import io
from datetime import datetime

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.berkas.checking import check_requirement
from services.berkas.files import Berkas, receive_upload
from services.city_calendar import CityCalendar
from services.codes import PinKeyring
from services.models import Channel, Task, TaskStatus, Upload, User, Verdict
from services.submission import Applicant, Submission, submit_request
from services.workflow.queues import claim_task

APPLICANT = Applicant(nik="3578012305850003", name="Budi Santoso", phone="081355501234")
PBG_ANSWERS = {"building_function": "hunian", "building_address": "Jl. Kenanga 7, Kota Contoh",
               "land_certificate_number": "SHM 1234", "floor_area_m2": 90, "floors": 1,
               "has_previous_permit": False}


def sample_page(title: str, size: tuple[int, int] = (1240, 1754)) -> bytes:
    """A plain page with a title and a frame, as a scan would give it (PNG)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, size[0] - 60, size[1] - 60), outline="navy", width=6)
    draw.text((120, 120), title, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def sample_drawing() -> list[bytes]:
    """The drawing's two pages when no scanner is at hand."""
    return [sample_page("GAMBAR RENCANA (CONTOH) 1/2"), sample_page("GAMBAR RENCANA (CONTOH) 2/2")]


def certificate_photo() -> bytes:
    image = Image.open(io.BytesIO(sample_page("SERTIFIKAT HAK MILIK (CONTOH)", (1200, 850))))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def load_demo_berkas(session: Session, berkas: Berkas, *, drawing: bytes, pins: PinKeyring,
                     calendar: CityCalendar, now: datetime) -> list[str]:
    """File the demo PBG request with its documents and the clerk's first check, once."""
    if session.scalar(select(Upload.id).where(Upload.request_id.is_not(None)).limit(1)):
        return ["Berkas: a request with documents is there already."]
    clerk = session.scalar(select(User).where(User.username == "clerk.dpmptsp"))
    if clerk is None:
        return ["Berkas: load the demo first (clerk.dpmptsp)."]
    drawing_upload = receive_upload(session, berkas, data=drawing, filename="gambar.pdf",
                                    source="kiosk:demo", now=now)
    certificate = receive_upload(session, berkas, data=certificate_photo(),
                                 filename="sertifikat.jpg", source="web", now=now)
    result = submit_request(session, Submission(
        service_code="PBG", applicant=APPLICANT, channel=Channel.KIOSK,
        answers={**PBG_ANSWERS, "gambar_rencana": [drawing_upload.token],
                 "sertifikat_tanah": [certificate.token]}), pins=pins, now=now,
        calendar=calendar)
    session.flush()
    task = session.scalar(select(Task).where(Task.request_id == result.request.id,
                                             Task.status == TaskStatus.READY)
                          .order_by(Task.stage, Task.id))
    assert task is not None
    claim_task(session, actor=clerk, task_id=task.id, now=now)
    check_requirement(session, actor=clerk, task_id=task.id, requirement_key="sertifikat_tanah",
                      verdict=Verdict.SESUAI, now=now)
    check_requirement(session, actor=clerk, task_id=task.id, requirement_key="gambar_rencana",
                      verdict=Verdict.TIDAK_SESUAI, now=now,
                      reason="Gambar belum ditandatangani perencana")
    return [f"Berkas: PBG request {result.request.tracking_code} (PIN {result.pin}) with a "
            "scanned drawing and a certificate photo; clerk.dpmptsp marked the drawing "
            "tidak sesuai."]
