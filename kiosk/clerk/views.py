"""Clerk and supervisor pages. Each view parses its form, calls one use case in a unit of
work, and redirects; authorisation is decided in services.workflow.access and .actions."""

from __future__ import annotations

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from kiosk.auth import current_staff
from kiosk.bank.citizen import bill_context
from kiosk.clerk import bp
from kiosk.clerk.berkas import berkas_context
from kiosk.clerk.forms import (
    ApproveForm,
    ClaimForm,
    ExtendForm,
    ForwardForm,
    NoteForm,
    ReasonForm,
    ReassignForm,
    ReturnForm,
    RevokeForm,
)
from kiosk.command.tables import channel_name
from kiosk.extensions import city_calendar, clock, db, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import error_messages, say
from kiosk.signing import signing_identity, verification_keys
from kiosk.urls import public_base_url
from kiosk.verify import REVOCATION_REASON_TEXT
from services.answers import display_answer
from services.catalog.queries import active_services, agencies
from services.catalog.standard import external_product_text, fee_text
from services.codes import format_tracking_code
from services.documents import (
    document_file,
    document_for_request,
    may_revoke,
    revoke_document,
    verification_code,
    verification_url,
)
from services.documents.decision import record_fields
from services.documents.pdf import render_document_pdf
from services.errors import DomainError, ValidationFailed
from services.models import ProductKind, RequestStatus, Task
from services.numbers import NumberUnreadable, parse_indonesian_number
from services.payments import treasury
from services.payments.bills import bill_by_id
from services.privacy import mask_name
from services.timeline import entry_message
from services.workflow import queues, sla, tasks
from services.workflow.access import actionable_tasks, request_for_staff, task_for_staff
from services.workflow.actions import available_actions, forward_targets, request_actions
from services.workflow.figures import agency_figures
from services.workflow.transitions import OPEN_TASK_STATUSES, Action, task_overdue


@bp.app_template_filter("tracking_code")
def tracking_code_filter(code: str) -> str:
    return format_tracking_code(code)


@bp.app_template_filter("mask_name")
def mask_name_filter(name: str) -> str:
    return mask_name(name)


def _back(code: str) -> Response:
    return redirect(url_for("clerk.request_page", code=code))


def _form_problem(form: FlaskForm, code: str) -> Response:
    """A form that failed its checks: say which field, go back to the request."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "error")
    return _back(code)


def _agency_codes() -> list[tuple[str, str]]:
    return [(a.code, a.name(current_language())) for a in agencies(db.session)]


@bp.get("/")
def queue():
    actor = current_staff()
    view = request.args.get("view", "ready")
    if view not in queues.VIEWS:
        view = "ready"
    service = request.args.get("service") or None
    code = (request.args.get("q") or "").strip() or None
    after = request.args.get("after", type=int)
    page = queues.queue_page(db.session, actor=actor, filters=queues.QueueFilter(
        view=view, service_code=service, tracking_code=code, after=after))
    rows = page.rows
    counts = queues.queue_counts(db.session, actor=actor)
    now = clock().now()
    return render_template("clerk/queue.html", rows=rows, counts=counts, view=view,
                           count_cap=queues.COUNT_CAP, after=after, next_after=page.next_after,
                           late={t.id for t in rows if task_overdue(t, now)},
                           service=service, q=code or "", claim_form=ClaimForm(service=service),
                           services=active_services(db.session),
                           lang=current_language(), now=now)


@bp.post("/claim")
def claim_next():
    form = ClaimForm()
    form.validate_on_submit()
    with unit_of_work():
        task = queues.claim_next_task(db.session, actor=current_staff(),
                                      service_code=form.service.data or None,
                                      now=clock().now())
    if task is None:
        flash(_("Tidak ada tugas yang menunggu di antrean."), "info")
        return redirect(url_for("clerk.queue"))
    flash(_("Tugas diambil. Silakan periksa permohonan ini."), "info")
    return _back(task.request.tracking_code)


@bp.post("/tasks/<int:task_id>/claim")
def claim(task_id: int):
    ClaimForm().validate_on_submit()
    with unit_of_work():
        task = queues.claim_task(db.session, actor=current_staff(), task_id=task_id,
                                 now=clock().now())
    return _back(task.request.tracking_code)


@bp.get("/requests/<code>")
def request_page(code: str):
    actor = current_staff()
    service_request = request_for_staff(db.session, actor, code)
    lang = current_language()
    version = service_request.service_version
    labels = {f.key: f.label(lang) for f in version.fields}
    by_key = {f.key: f for f in version.fields}
    # The answers as the kiosk showed them to the citizen (choice labels, Ya/Tidak, Rupiah).
    answers = [(labels.get(key, key),
                display_answer(by_key[key], value, lang) if key in by_key else str(value))
               for key, value in service_request.answers.items()]
    mine = actionable_tasks(service_request, actor)
    document = None
    if service_request.status in (RequestStatus.APPROVED, RequestStatus.COMPLETED) \
            and version.product_kind is ProductKind.DOCUMENT:
        document = document_for_request(db.session, service_request)
    forward_forms = {}
    actions = {t.id: available_actions(t, service_request, actor) for t in mine}
    names = dict(_agency_codes()) if any(Action.FORWARD in a for a in actions.values()) else {}
    for task in mine:
        if Action.FORWARD in actions[task.id]:
            targets = forward_targets(task)
            form = ForwardForm(prefix=f"f{task.id}")
            form.to_agency.choices = [(c, names.get(c, c)) for c in targets]
            forward_forms[task.id] = form
    reassign_form = extend_form = None
    if any(Action.REASSIGN in a for a in actions.values()):
        reassign_form = ReassignForm()
        reassign_form.to_user.choices = [(u.id, u.full_name) for u in
                                         queues.agency_staff(db.session, actor=actor)]
    if any(Action.EXTEND in a for a in actions.values()):
        extend_form = ExtendForm()
    return render_template(
        "clerk/request.html", r=service_request, version=version, labels=labels,
        answers=answers, channel=channel_name(service_request.channel.value), mine=mine,
        actions=actions, actor=actor, lang=lang, document=document,
        request_actions=request_actions(service_request, actor),
        open_task_statuses=OPEN_TASK_STATUSES,
        timeline=[(e, say(entry_message(e, lang))) for e in service_request.events],
        note_form=NoteForm(), approve_form=ApproveForm(), reason_form=ReasonForm(),
        revoke_form=_revoke_form(),
        may_revoke=document is not None and may_revoke(actor, document),
        records={t.id: tasks.needs_record(t) for t in mine},
        decision_fields=record_fields(version.decision),
        fee=fee_text(version, lang, service_request),
        external=external_product_text(service_request, lang),
        return_form=_return_form(list(labels.items())),
        forward_forms=forward_forms, reassign_form=reassign_form, extend_form=extend_form,
        now=clock().now(), **berkas_context(service_request, mine, actor),
        **{**bill_context(service_request), "bill_pay_simulated": False},
    )


def _return_form(fields: list[tuple[str, str]]) -> ReturnForm:
    form = ReturnForm()
    form.fields.choices = fields
    return form


def _task_action(task_id: int, form: FlaskForm, act, done: str):  # type: ignore[no-untyped-def]
    """Check the form, run the use case on the task in a unit of work, go back to its
    request."""
    actor = current_staff()
    task: Task = task_for_staff(db.session, actor, task_id)
    code = task.request.tracking_code
    if not form.validate_on_submit():
        return _form_problem(form, code)
    try:
        with unit_of_work():
            act(actor)
    except ValidationFailed as error:  # a missing record (SKRD, external number): say so here
        for message in dict.fromkeys(error_messages(error)):
            flash(message, "error")
        return _back(code)
    flash(done, "info")
    return _back(code)


def _decision_records(task_id: int) -> dict[str, str]:
    """The decision facts the clerk typed (record_<key>), for the template's fields."""
    task = db.session.get(Task, task_id)
    if task is None:
        return {}
    return {field["key"]: (request.form.get(f"record_{field['key']}") or "").strip()[:200]
            for field in record_fields(task.request.service_version.decision)}


def _step_record(form: ApproveForm, task_id: int) -> tasks.StepRecord:
    """The amount is read as Indonesians write it ("1.250.000"); what cannot be read is left
    out, and the use case then asks for it."""
    try:
        fee = int(parse_indonesian_number(form.assessed_fee.data)) \
            if (form.assessed_fee.data or "").strip() else None
    except NumberUnreadable:
        fee = None
    return tasks.StepRecord(assessed_fee=fee, fee_reference=form.fee_reference.data or "",
                            external_number=form.external_number.data or "",
                            external_date=form.external_date.data,
                            decision_records=_decision_records(task_id))


@bp.post("/bills/<int:bill_id>/correct")
def correct_bill(bill_id: int):
    """A new bill replaces this one (bills never change), with the reason; back to the request."""
    bill = bill_by_id(db.session, bill_id)
    code = bill.request.tracking_code
    try:
        amount = int(parse_indonesian_number(request.form.get("amount", "")))
    except NumberUnreadable:
        amount = 0
    try:
        with unit_of_work():
            treasury.correct_bill(db.session, actor=current_staff(), bill_id=bill_id,
                                  amount=amount, reason=request.form.get("reason", ""),
                                  now=clock().now(), calendar=city_calendar())
    except DomainError as error:
        for message in dict.fromkeys(error_messages(error)):
            flash(message, "error")
        return _back(code)
    flash(_("Tagihan baru diterbitkan; tagihan lama dibatalkan."), "info")
    return _back(code)


@bp.post("/tasks/<int:task_id>/approve")
def approve(task_id: int):
    form = ApproveForm()
    return _task_action(task_id, form, lambda actor: tasks.approve_task(
        db.session, actor=actor, task_id=task_id, note=form.note.data or "",
        record=_step_record(form, task_id), now=clock().now(), calendar=city_calendar(),
        city=current_app.config["CITY_NAME"]),
        _("Tahap disetujui."))


@bp.post("/tasks/<int:task_id>/reject")
def reject(task_id: int):
    form = ReasonForm()
    return _task_action(task_id, form, lambda actor: tasks.reject_task(
        db.session, actor=actor, task_id=task_id, reason=form.reason.data, now=clock().now(),
        calendar=city_calendar()),
        _("Permohonan ditolak."))


@bp.post("/tasks/<int:task_id>/return")
def return_for_information(task_id: int):
    task = task_for_staff(db.session, current_staff(), task_id)
    form = _return_form([(f.key, f.key) for f in task.request.service_version.fields])
    return _task_action(task_id, form, lambda actor: tasks.return_for_information(
        db.session, actor=actor, task_id=task_id, note=form.note.data,
        fields=form.fields.data or [], now=clock().now()),
        _("Permohonan dikembalikan kepada pemohon untuk dilengkapi."))


@bp.post("/tasks/<int:task_id>/forward")
def forward(task_id: int):
    form = ForwardForm(prefix=f"f{task_id}")
    form.to_agency.choices = _agency_codes()
    return _task_action(task_id, form, lambda actor: tasks.forward_task(
        db.session, actor=actor, task_id=task_id, to_agency=form.to_agency.data,
        note=form.note.data or "", now=clock().now()), _("Tugas diteruskan."))


@bp.post("/tasks/<int:task_id>/release")
def release(task_id: int):
    form = NoteForm()
    return _task_action(task_id, form, lambda actor: queues.release_task(
        db.session, actor=actor, task_id=task_id, note=form.note.data or "",
        now=clock().now()), _("Tugas dikembalikan ke antrean."))


@bp.post("/tasks/<int:task_id>/reassign")
def reassign(task_id: int):
    form = ReassignForm()
    actor = current_staff()
    task_for_staff(db.session, actor, task_id)  # another agency's task is not found (404)
    # Only a supervisor has staff to choose from: anyone else is refused here (403).
    form.to_user.choices = [(u.id, u.full_name)
                            for u in queues.agency_staff(db.session, actor=actor)]
    return _task_action(task_id, form, lambda actor: queues.reassign_task(
        db.session, actor=actor, task_id=task_id, to_user_id=form.to_user.data,
        note=form.note.data or "", now=clock().now()), _("Tugas dialihkan."))


@bp.post("/tasks/<int:task_id>/extend")
def extend(task_id: int):
    form = ExtendForm()
    return _task_action(task_id, form, lambda actor: sla.extend_deadline(
        db.session, actor=actor, task_id=task_id, days=form.days.data,
        reason=form.reason.data, now=clock().now(), calendar=city_calendar()),
        _("Batas waktu diperpanjang."))


@bp.post("/requests/<code>/complete")
def complete(code: str):
    form = NoteForm()
    form.validate_on_submit()
    with unit_of_work():
        done = tasks.complete_request(db.session, actor=current_staff(), tracking_code=code,
                                      note=form.note.data or "", now=clock().now())
    flash(_("Dokumen diserahkan. Permohonan selesai."), "info")
    return _back(done.tracking_code)


def _revoke_form() -> RevokeForm:
    form = RevokeForm()
    form.category.choices = [(c.value, text) for c, text in REVOCATION_REASON_TEXT.items()]
    return form


@bp.post("/requests/<code>/revoke")
def revoke(code: str):
    form = _revoke_form()
    found = request_for_staff(db.session, current_staff(), code)
    if not form.validate_on_submit():
        return _form_problem(form, found.tracking_code)
    with unit_of_work():
        revoke_document(db.session, actor=current_staff(), tracking_code=code,
                        category=form.category.data, reason=form.reason.data)
    flash(_("Dokumen dicabut."), "info")
    return _back(found.tracking_code)


def public_verification_url(code: str) -> str:
    return verification_url(public_base_url(), code)


@bp.get("/requests/<code>/document.pdf")
def document_pdf(code: str):
    found = request_for_staff(db.session, current_staff(), code)
    document = document_for_request(db.session, found)
    url = public_verification_url(verification_code(verification_keys(), document))
    city = current_app.config["CITY_NAME"]
    with unit_of_work():  # the signed file is kept, so every download is the same
        pdf = document_file(document, identity=signing_identity(), location=city,
                           render=lambda signed: render_document_pdf(
                               document, city_name=city, verify_url=url,
                               tz=city_calendar().timezone, signed=signed))
    filename = document.number.replace("/", "-") + ".pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"',
                             "Cache-Control": "no-store"})


@bp.get("/supervisor")
def supervisor():
    actor = current_staff()
    figures = agency_figures(db.session, actor=actor, lang=current_language())
    overdue = queues.agency_queue(db.session, actor=actor,
                                  filters=queues.QueueFilter(view="overdue", limit=200))
    reassign_form = ReassignForm()
    reassign_form.to_user.choices = [(u.id, u.full_name)
                                     for u in queues.agency_staff(db.session, actor=actor)]
    return render_template("clerk/supervisor.html", figures=figures, overdue=overdue,
                           reassign_form=reassign_form, lang=current_language(), now=clock().now())
