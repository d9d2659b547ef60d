"""The clerk checks the file requirement by requirement; "berkas lengkap" starts the clock of a
service counted from a complete file, "berkas tidak lengkap" returns the request with the
documents to fix, and the citizen replaces only those. Only agencies holding a task see the
documents, and each view is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.berkas.checking import (
    check_requirement,
    documents_to_fix,
    record_file_complete,
    request_file,
    return_incomplete_file,
    view_document,
)
from services.berkas.files import receive_upload
from services.errors import NotFound, ValidationFailed
from services.models import (
    AuditRecord,
    RequestStatus,
    ServiceRequest,
    Upload,
    Verdict,
)
from services.workflow.citizen import supply_information
from tests.builders import PINS, WEDNESDAY
from tests.builders.berkas import jpeg, pdf

LATER = WEDNESDAY + timedelta(hours=3)


def keys(items):
    return [(item.requirement.key, [u.token for u in item.uploads],
             item.check.verdict.value if item.check else None) for item in items]


def test_the_clerk_sees_the_file_requirement_by_requirement(session, filed):
    request = filed["request"]
    assert request.due_at is None  # counted from the complete file
    assert keys(request_file(session, request)) == [
        ("gambar_rencana", [filed["drawing"].token], None), ("ktp", [filed["ktp"].token], None),
        ("kk_asli", [], None)]


def test_viewing_a_document_is_audited_and_other_agencies_see_nothing(session, filed):
    request, clerk = filed["request"], filed["clerk"]
    upload = view_document(session, clerk, request.tracking_code, filed["drawing"].token)
    assert upload.id == filed["drawing"].id
    audit = session.scalar(select(AuditRecord).where(AuditRecord.action == "view"))
    assert (audit.actor_id, audit.entity_key, audit.changes["request"]) == (
        clerk.id, filed["drawing"].token, request.tracking_code)
    with pytest.raises(NotFound):
        view_document(session, filed["other"], request.tracking_code, filed["drawing"].token)


def test_berkas_lengkap_needs_every_requirement_sesuai_and_starts_the_clock(session, filed):
    request, clerk, task = filed["request"], filed["clerk"], filed["task"]
    with pytest.raises(ValidationFailed) as refused:
        record_file_complete(session, actor=clerk, task_id=task.id, now=LATER)
    assert refused.value.message.params == {
        "requirements": "Gambar rencana, KTP-el, KK asli"}
    with pytest.raises(ValidationFailed) as refused:
        check_requirement(session, actor=clerk, task_id=task.id, now=LATER,
                          requirement_key="gambar_rencana", verdict=Verdict.TIDAK_SESUAI)
    assert refused.value.message.code == "berkas.check_reason_needed"
    for key in ("gambar_rencana", "ktp", "kk_asli"):
        check_requirement(session, actor=clerk, task_id=task.id, requirement_key=key,
                          verdict=Verdict.SESUAI, now=LATER)
    record_file_complete(session, actor=clerk, task_id=task.id, now=LATER)
    assert request.file_complete_at == LATER and request.due_at is not None
    kinds = [e.kind for e in request.events]
    assert kinds.count("requirement_checked") == 3 and kinds[-1] == "file_complete"
    with pytest.raises(NotFound):
        check_requirement(session, actor=filed["other"], task_id=task.id,
                          requirement_key="ktp", verdict=Verdict.SESUAI, now=LATER)


def test_berkas_tidak_lengkap_returns_the_list_and_the_citizen_replaces_only_it(
        session, filed, berkas):
    request, clerk, task = filed["request"], filed["clerk"], filed["task"]
    check_requirement(session, actor=clerk, task_id=task.id, requirement_key="gambar_rencana",
                      verdict=Verdict.TIDAK_SESUAI, reason="Gambar tidak ditandatangani",
                      now=LATER)
    check_requirement(session, actor=clerk, task_id=task.id, requirement_key="ktp",
                      verdict=Verdict.SESUAI, now=LATER)
    with pytest.raises(ValidationFailed):  # a requirement is still unchecked
        record_file_complete(session, actor=clerk, task_id=task.id, now=LATER)
    return_incomplete_file(session, actor=clerk, task_id=task.id, now=LATER)
    session.commit()
    assert request.status is RequestStatus.NEEDS_INFO and request.clock_stopped_at == LATER
    asked = request.events[-1]
    assert asked.note == "Gambar rencana: Gambar tidak ditandatangani"
    assert asked.data["documents"] == ["gambar_rencana"]
    assert keys(documents_to_fix(session, request)) == [
        ("gambar_rencana", [filed["drawing"].token], "tidak_sesuai")]

    new_ktp = receive_upload(session, berkas, data=jpeg(320, 200), filename="k.jpg",
                             source="t", now=LATER)
    with pytest.raises(ValidationFailed) as refused:
        supply_information(session, request.tracking_code, filed["pin"], pins=PINS,
                           documents={"ktp": [new_ktp.token]}, now=LATER)
    assert refused.value.fields["documents.ktp"].code == "berkas.not_returned"
    session.rollback()
    signed = receive_upload(session, berkas, data=pdf(3), filename="gambar-ttd.pdf",
                            source="t", now=LATER)
    supply_information(session, request.tracking_code, filed["pin"], pins=PINS,
                       documents={"gambar_rencana": [signed.token]}, now=LATER)
    session.commit()
    assert request.status is RequestStatus.IN_PROGRESS
    assert request.events[-1].data["documents"] == ["gambar_rencana"]
    assert keys(request_file(session, request))[0] == ("gambar_rencana", [signed.token], None)
    old = session.get(Upload, filed["drawing"].id)
    assert old.replaced_at == LATER and old.request_id == request.id
    assert session.scalar(select(ServiceRequest.status)) is RequestStatus.IN_PROGRESS


def test_the_demo_files_a_pbg_request_with_documents_once(app, runner, session):
    from services.demo import load_demo

    load_demo(session)
    session.commit()
    first = runner.invoke(args=["demo", "berkas"])
    assert "clerk.dpmptsp marked the drawing tidak sesuai" in first.output, first.output
    again = runner.invoke(args=["demo", "berkas"])
    assert "there already" in again.output
    request = session.scalar(select(ServiceRequest))
    checks = {item.requirement.key: item.check.verdict.value
              for item in request_file(session, request) if item.check}
    assert checks == {"gambar_rencana": "tidak_sesuai", "sertifikat_tanah": "sesuai"}
    drawing = next(item for item in request_file(session, request)
                   if item.requirement.key == "gambar_rencana").uploads[0]
    assert (drawing.media_type, drawing.pages) == ("application/pdf", 2)
