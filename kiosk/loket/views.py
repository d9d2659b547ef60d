"""The counter pages. Each POST runs one use case in a unit of work and goes back to the
counter; a domain error is said on the counter page (JSON when asked, for scripts and tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from kiosk.auth import current_staff
from kiosk.berkas import picture_response
from kiosk.errors import status_for
from kiosk.extensions import city_calendar, clock, db, unit_of_work, writes_on_get
from kiosk.i18n import current_language
from kiosk.layar.announce import announce_call
from kiosk.loket import bp
from kiosk.messages import say
from services.answers import display_answer
from services.berkas.checking import request_file, view_document_of
from services.errors import DomainError
from services.frontoffice import counter as at_counter
from services.frontoffice.access import request_at_counter
from services.frontoffice.desk import counter_desk, counters, link_request_by_code
from services.frontoffice.rules import NO_SHOW_AFTER_CALLS
from services.models import QueueTicket
from services.privacy import mask_nik, mask_phone


class TransferForm(FlaskForm):
    to_group = SelectField(choices=[], validate_choice=False)  # the use case checks it


class LinkForm(FlaskForm):
    tracking_code = StringField()


@bp.get("/")
def index():
    return render_template("loket/index.html", counters=counters(db.session, current_staff()))


@bp.get("/<int:number>")
def counter(number: int):
    desk = counter_desk(db.session, actor=current_staff(), counter_number=number,
                        clock=clock(), calendar=city_calendar())
    transfer = TransferForm()
    transfer.to_group.choices = [SelectChoice(g.code, f"{g.prefix} · {g.name}")
                                 for g in desk.transfer_groups]
    return render_template("loket/counter.html", desk=desk, transfer_form=transfer,
                           link_form=LinkForm(), details=request_details(desk.request),
                           berkas_file=request_file(db.session, desk.request)
                           if desk.request is not None else [],
                           document_page_url=lambda code, token, page: url_for(
                               "loket.document_page", number=number, code=code, token=token,
                               page=page),
                           no_show_after=NO_SHOW_AFTER_CALLS, mask_nik=mask_nik,
                           mask_phone=mask_phone)


@bp.get("/<int:number>/berkas/<code>/<token>/<int(min=1,max=500):page>")
@writes_on_get  # every view of a citizen's document is audited
def document_page(number: int, code: str, token: str, page: int) -> Response:
    """A page of a document of the request whose ticket this officer is serving."""
    actor = current_staff()
    with unit_of_work(keep_loaded=True):
        upload = view_document_of(db.session, actor,
                                  request_at_counter(db.session, actor, code), token)
    return picture_response(upload, page)


def request_details(service_request: Any) -> dict[str, Any] | None:
    """The linked request as the counter shows it: service, answers, the checklist."""
    if service_request is None:
        return None
    lang = current_language()
    version = service_request.service_version
    by_key = {f.key: f for f in version.fields}
    return {
        "service": version.text("name", lang),
        "answers": [(by_key[key].label(lang) if key in by_key else key,
                     display_answer(by_key[key], value, lang) if key in by_key else str(value))
                    for key, value in service_request.answers.items()],
        "requirements": [item for item in version.text("requirements", lang) if item],
    }


def wants_json() -> bool:
    """A script (or a test) asking for JSON rather than the page."""
    return request.accept_mimetypes.best == "application/json"


def _act(number: int, run: Callable[[], QueueTicket | None], done: str) -> Any:
    """Run one counter move; say what happened (or why not) and go back to the counter."""
    try:
        with unit_of_work():
            ticket = run()
            body = _ticket_json(ticket)
    except DomainError as refused:
        if wants_json():
            return jsonify({"error": {"code": refused.code, "message": say(refused.message),
                                      "fields": {}}}), status_for(refused)
        flash(say(refused.message), "error")
        return redirect(url_for("loket.counter", number=number))
    if ticket is not None and body.get("called"):
        announce_call(ticket.id)
    if wants_json():
        return jsonify({"ticket": body})
    flash(done if ticket is not None else _("Tidak ada antrean yang menunggu."), "info")
    return redirect(url_for("loket.counter", number=number))


def _ticket_json(ticket: QueueTicket | None) -> dict[str, Any]:
    if ticket is None:
        return {}
    return {"id": ticket.id, "label": ticket.label, "state": ticket.state.value,
            "calls": ticket.calls, "called": ticket.state.value == "called"}


@bp.post("/<int:number>/panggil")
def call_next(number: int):
    FlaskForm().validate_on_submit()
    return _act(number, lambda: at_counter.call_next(
        db.session, actor=current_staff(), counter_number=number, clock=clock(),
        calendar=city_calendar()), _("Nomor berikutnya dipanggil."))


MOVES = {
    "panggil-ulang": (at_counter.call_again, _l("Nomor dipanggil sekali lagi.")),
    "layani": (at_counter.start_serving, _l("Layanan dimulai.")),
    "selesai": (at_counter.finish_visit, _l("Kunjungan selesai.")),
    "tidak-hadir": (at_counter.mark_no_show, _l("Ditandai tidak hadir.")),
}


@bp.post("/<int:number>/tiket/<int:ticket_id>/<move>")
def move(number: int, ticket_id: int, move: str):
    if move not in MOVES:
        return redirect(url_for("loket.counter", number=number))
    FlaskForm().validate_on_submit()
    use_case, said = MOVES[move]
    return _act(number, lambda: use_case(db.session, actor=current_staff(),
                                         counter_number=number, ticket_id=ticket_id,
                                         clock=clock()), str(said))


@bp.post("/<int:number>/tiket/<int:ticket_id>/alihkan")
def transfer(number: int, ticket_id: int):
    form = TransferForm()
    form.validate_on_submit()
    return _act(number, lambda: at_counter.transfer_ticket(
        db.session, actor=current_staff(), counter_number=number, ticket_id=ticket_id,
        to_group_code=form.to_group.data or "", clock=clock(),
        calendar=city_calendar()), _("Kunjungan dialihkan."))


@bp.post("/<int:number>/tiket/<int:ticket_id>/tautkan")
def link(number: int, ticket_id: int):
    form = LinkForm()
    form.validate_on_submit()
    return _act(number, lambda: link_request_by_code(
        db.session, actor=current_staff(), counter_number=number, ticket_id=ticket_id,
        tracking_code=form.tracking_code.data or "", clock=clock()),
        _("Permohonan ditautkan ke nomor antrean."))
