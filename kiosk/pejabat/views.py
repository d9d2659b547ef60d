"""Signing queue pages. Each view parses its form, calls one use case in a unit of work and
redirects; who may sign what is decided in services.signing.access."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from kiosk.auth import current_staff
from kiosk.errors import settle
from kiosk.extensions import city_calendar, clock, db, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import error_messages
from kiosk.pejabat import bp
from kiosk.pejabat.forms import SendBackForm, SignForm
from kiosk.signing import signing_service, verification_keys
from kiosk.urls import public_base_url
from services.documents import verification_code, verification_url
from services.documents.decision import Signatory, render_decision_pdf
from services.errors import DomainError, NotFound
from services.models import IssuedDocument
from services.signing.access import signing_blocker, signing_locked
from services.signing.decisions import (
    draft_of,
    return_to_clerk,
    sign_decisions,
    signatory_of,
    signing_queue,
    signing_task,
)
from services.working_days import local_day


def render_decision(document: IssuedDocument, signatory: Signatory, draft: bool) -> bytes:
    """The decision as it will be issued: signed today by ``signatory``, its QR code leading to
    the public verification page."""
    code = verification_code(verification_keys(), document)
    return render_decision_pdf(document.content or {}, signatory=signatory, draft=draft,
                               signed_on=local_day(clock().now(), city_calendar().timezone),
                               verify_url=verification_url(public_base_url(), code))


@bp.get("/")
def queue():
    actor = current_staff()
    rows = signing_queue(db.session, actor=actor)
    form = SignForm()
    form.tasks.choices = [(task.id, str(task.id)) for task in rows]
    documents = {task.id: draft_of(db.session, task.request) for task in rows}
    return render_template(
        "pejabat/queue.html", rows=rows, documents=documents, form=form,
        send_back=SendBackForm(), lang=current_language(),
        ready={task.id: signing_blocker(task.request, task) is None for task in rows},
        locked=signing_locked(actor, clock().now()), available=signing_service() is not None)


@bp.get("/konsep/<int:task_id>.pdf")
def draft_pdf(task_id: int):
    """The draft as the final PDF: exactly what the signature will cover."""
    actor = current_staff()
    try:
        _, found = signing_task(db.session, actor, task_id, clock().now())
        document = draft_of(db.session, found)
    except DomainError:
        db.session.rollback()
        raise NotFound("sign.no_such_decision") from None
    pdf = render_decision(document, signatory_of(actor), False)
    db.session.rollback()  # reading takes locks; nothing changed
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": "inline; filename=\"konsep-"
                             f"{document.number.replace('/', '-')}.pdf\"",
                             "Cache-Control": "no-store"})


@bp.post("/tandatangani")
def sign():
    actor = current_staff()
    form = SignForm()
    form.tasks.choices = [(task.id, str(task.id)) for task in signing_queue(db.session,
                                                                            actor=actor)]
    if not form.validate_on_submit() or not form.tasks.data:
        flash(_("Pilih keputusan dan masukkan passphrase Anda."), "error")
        return redirect(url_for("pejabat.queue"))
    service = signing_service()
    if service is None:
        flash(_("Layanan tanda tangan elektronik belum diatur."), "error")
        return redirect(url_for("pejabat.queue"))
    try:
        with unit_of_work():
            signed = sign_decisions(
                db.session, actor=actor, task_ids=form.tasks.data,
                passphrase=form.passphrase.data or "", signing=service,
                render=render_decision, location=current_app.config["CITY_NAME"],
                now=clock().now(), calendar=city_calendar())
    except DomainError as refused:
        settle(refused)
        for text in error_messages(refused):
            flash(text, "error")
        return redirect(url_for("pejabat.queue"))
    flash(_("Keputusan ditandatangani dan terbit: %(num)d.", num=len(signed)), "success")
    return redirect(url_for("pejabat.queue"))


@bp.post("/<int:task_id>/kembalikan")
def send_back(task_id: int):
    form = SendBackForm()
    if not form.validate_on_submit():
        flash(_("Tuliskan catatan perbaikan untuk petugas."), "error")
        return redirect(url_for("pejabat.queue"))
    try:
        with unit_of_work():
            return_to_clerk(db.session, actor=current_staff(), task_id=task_id,
                            note=form.note.data or "", now=clock().now(),
                            calendar=city_calendar())
    except DomainError as refused:
        settle(refused)
        for text in error_messages(refused):
            flash(text, "error")
        return redirect(url_for("pejabat.queue"))
    flash(_("Konsep dikembalikan kepada petugas."), "success")
    return redirect(url_for("pejabat.queue"))
