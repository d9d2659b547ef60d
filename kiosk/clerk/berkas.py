"""The clerk's view of a request's documents: each page inline as a picture served by this app
(audited on every view), the checklist per requirement, and the two decisions on the file."""

from __future__ import annotations

from flask import Response, flash, redirect, url_for
from flask_babel import gettext as _

from kiosk.auth import current_staff
from kiosk.berkas import picture_response
from kiosk.clerk import bp
from kiosk.clerk.forms import NoteForm, RequirementCheckForm
from kiosk.extensions import city_calendar, clock, db, unit_of_work, writes_on_get
from kiosk.messages import error_messages
from services.berkas import checking
from services.errors import ValidationFailed
from services.models import ServiceRequest, Task, User, Verdict
from services.workflow.access import task_for_staff
from services.workflow.actions import available_actions
from services.workflow.transitions import Action


def checking_task(request: ServiceRequest, mine: list[Task], actor: User) -> Task | None:
    """The actor's first-stage task on which they may check the file now, if any."""
    first = min((t.stage for t in request.tasks), default=1)
    return next((t for t in mine if t.stage == first
                 and Action.APPROVE in available_actions(t, request, actor)), None)


def berkas_context(request: ServiceRequest, mine: list[Task], actor: User) -> dict[str, object]:
    """What the request page's Berkas section needs."""
    return {"berkas_file": checking.request_file(db.session, request),
            "document_page_url": lambda code, token, page: url_for(
                "clerk.document_page", code=code, token=token, page=page),
            "check_task": checking_task(request, mine, actor),
            "check_form": RequirementCheckForm(), "file_note_form": NoteForm(),
            "returned_documents": checking.returned_documents(request)}


@bp.get("/requests/<code>/berkas/<token>/<int(min=1,max=500):page>")
@writes_on_get  # every view of a citizen's document is audited
def document_page(code: str, token: str, page: int) -> Response:
    """One page of a document as a picture; never cached, never framed elsewhere."""
    actor = current_staff()
    with unit_of_work(keep_loaded=True):
        upload = checking.view_document(db.session, actor, code, token)
    return picture_response(upload, page)


def _file_action(task_id: int, act, done: str) -> Response:  # type: ignore[no-untyped-def]
    actor = current_staff()
    task = task_for_staff(db.session, actor, task_id)
    code = task.request.tracking_code
    try:
        with unit_of_work():
            act(actor)
    except ValidationFailed as error:
        for message in dict.fromkeys(error_messages(error)):
            flash(message, "error")
    else:
        flash(done, "info")
    return redirect(url_for("clerk.request_page", code=code, _anchor="berkas"))


@bp.post("/tasks/<int:task_id>/requirements/<key>")
def check_requirement(task_id: int, key: str) -> Response:
    form = RequirementCheckForm()
    if not form.validate_on_submit():
        flash(_("Pilih hasil pemeriksaan."), "error")
        return redirect(url_for("clerk.queue"))
    return _file_action(task_id, lambda actor: checking.check_requirement(
        db.session, actor=actor, task_id=task_id, requirement_key=key,
        verdict=Verdict(form.verdict.data), reason=form.reason.data or "", now=clock().now()),
        _("Pemeriksaan persyaratan dicatat."))


@bp.post("/tasks/<int:task_id>/berkas-lengkap")
def file_complete(task_id: int) -> Response:
    return _file_action(task_id, lambda actor: checking.record_file_complete(
        db.session, actor=actor, task_id=task_id, now=clock().now(), calendar=city_calendar()),
        _("Berkas lengkap dicatat."))


@bp.post("/tasks/<int:task_id>/berkas-tidak-lengkap")
def file_incomplete(task_id: int) -> Response:
    form = NoteForm()
    return _file_action(task_id, lambda actor: checking.return_incomplete_file(
        db.session, actor=actor, task_id=task_id, note=form.note.data or "",
        now=clock().now()),
        _("Berkas dikembalikan kepada pemohon untuk dilengkapi."))
