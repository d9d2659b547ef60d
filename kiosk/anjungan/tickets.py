"""Queue tickets at the kiosk: "Ambil nomor antrean" from the attract screen (a walk-in) or
from the receipt screen (tied to the request just filed), a booking checked in by its code, and
the ticket screen with the number, the wait, the QR code to follow it, and its printing."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField

from kiosk.anjungan import bp
from kiosk.anjungan.forms import keyboard
from kiosk.anjungan.receipt_screens import (
    REQUEST_SCREEN,
    filed_here,
    print_when_ready,
    printer_problem,
)
from kiosk.extensions import city_calendar, clock, db, limiter, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import say
from kiosk.urls import public_base_url
from services.errors import DomainError
from services.frontoffice.bookings import check_in_booking
from services.frontoffice.printing import follow_url, queue_ticket_print, ticket_print_data
from services.frontoffice.queue import (
    TakenTicket,
    active_groups,
    group_for_service,
    hours_of,
    take_ticket,
    ticket_place,
)
from services.frontoffice.rules import is_open
from services.kiosks.status import job_print_status
from services.models import QueueTicket
from services.qr import qr_svg

TICKET = "kiosk_ticket"


class CheckInForm(FlaskForm):
    code = StringField(_l("Kode booking"), render_kw=keyboard("code", 14))


def _groups_open() -> list[tuple[Any, bool]]:
    now, calendar = clock().now(), city_calendar()
    holidays = calendar.holidays(db.session)
    return [(group, is_open(now, hours_of(group), holidays, calendar.timezone))
            for group in active_groups(db.session)]


@bp.get("/antrean")
def ticket_groups():
    """Which counter group's line to join; "Loket sudah tutup" when none is open."""
    groups = _groups_open()
    if groups and not any(open_ for _group, open_ in groups):
        return render_template("kiosk/ticket_closed.html", groups=[g for g, _o in groups])
    return render_template("kiosk/ticket_groups.html", groups=groups, form=FlaskForm())


def _after_taking(taken: TakenTicket) -> Any:
    """Print a new ticket when the printer can, remember it for the ticket screen, show it."""
    ticket = taken.ticket
    job_id = None
    if taken.created:
        printing = job_print_status(db.session, g.kiosk, None, now=clock().now())
        data = _print_data(ticket)
        job = print_when_ready(printing, lambda: queue_ticket_print(
            db.session, ticket, g.kiosk, data, now=clock().now()))
        job_id = job.id if job is not None else None
    session[TICKET] = {"id": ticket.id, "job": job_id}
    return redirect(url_for("anjungan.ticket_screen"))


def _print_data(ticket: QueueTicket) -> dict[str, Any]:
    config = current_app.config
    return ticket_print_data(db.session, ticket, ticket_place(db.session, ticket, clock().now()),
                             city=config["CITY_NAME"], base_url=public_base_url(),
                             tz=config["CITY_TIMEZONE"], language=current_language(),
                             kiosk_code=g.kiosk.code)


def _refused(error: DomainError, groups: list[Any] | None = None) -> Any:
    if error.message.code == "ticket.counters_closed":
        return render_template("kiosk/ticket_closed.html", groups=groups or [],
                               reason=say(error.message)), 409
    return render_template("kiosk/ticket_refused.html", reason=say(error.message)), 409


@bp.post("/antrean/<group>")
@limiter.limit("20 per minute")
def take_walk_in_ticket(group: str):
    FlaskForm().validate_on_submit()
    try:
        with unit_of_work(keep_loaded=True):
            taken = take_ticket(db.session, group_code=group, clock=clock(),
                                calendar=city_calendar(), kiosk_id=g.kiosk.id)
    except DomainError as refused:
        return _refused(refused)
    return _after_taking(taken)


@bp.post("/apply/antrean")
def take_request_ticket():
    """From the receipt screen: a ticket to the counter the request's next step is at."""
    FlaskForm().validate_on_submit()
    found = filed_here(REQUEST_SCREEN)
    if found is None:
        return redirect(url_for("anjungan.home"))
    _pin, submitted = found
    visit = group_for_service(db.session, submitted.service_version.service.code)
    if visit is None:
        return redirect(url_for("anjungan.done"))
    try:
        with unit_of_work(keep_loaded=True):
            taken = take_ticket(db.session, group_code=visit.code, clock=clock(),
                                calendar=city_calendar(), request=submitted,
                                kiosk_id=g.kiosk.id)
    except DomainError as refused:
        return _refused(refused)
    return _after_taking(taken)


@bp.route("/antrean/booking", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def check_in():
    """A phone booking checked in by its code; it becomes a ticket called first in its slot."""
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            with unit_of_work(keep_loaded=True):
                taken = check_in_booking(db.session, code=form.code.data or "", clock=clock(),
                                         calendar=city_calendar(), kiosk_id=g.kiosk.id)
        except DomainError as refused:
            form.code.errors.append(say(refused.message))
        else:
            return _after_taking(taken)
        return render_template("kiosk/ticket_check_in.html", form=form), 422
    return render_template("kiosk/ticket_check_in.html", form=form)


def _current_ticket() -> tuple[dict[str, Any], QueueTicket] | None:
    held = session.get(TICKET)
    if not isinstance(held, dict):
        return None
    ticket = db.session.get(QueueTicket, held.get("id"))
    if ticket is None or ticket.kiosk_id not in (None, g.kiosk.id):
        return None
    return held, ticket


@bp.get("/antrean/nomor")
def ticket_screen():
    found = _current_ticket()
    if found is None:
        return redirect(url_for("anjungan.home"))
    held, ticket = found
    printing = job_print_status(db.session, g.kiosk, held.get("job"), now=clock().now())
    url = follow_url(public_base_url(), ticket)
    data = _print_data(ticket)
    return render_template(
        "kiosk/ticket.html", ticket=ticket, place=ticket_place(db.session, ticket, clock().now()),
        data=data, printing=printing, problem=printer_problem(printing),
        # qr_svg draws the SVG itself and escapes its one text (B704)
        follow_qr=Markup(qr_svg(url, label=str(_l("Kode QR antrean")))))  # nosec B704


@bp.get("/antrean/cetak")
def ticket_print_state():
    """The ticket's print state, polled by its screen (no sign of the citizen)."""
    found = _current_ticket()
    if found is None:
        return {"state": "none"}
    printing = job_print_status(db.session, g.kiosk, found[0].get("job"), now=clock().now())
    return {"state": printing.state.value}


@bp.post("/antrean/cetak")
def print_ticket():
    found = _current_ticket()
    if found is None:
        return redirect(url_for("anjungan.home"))
    held, ticket = found
    data = _print_data(ticket)
    printing = job_print_status(db.session, g.kiosk, held.get("job"), now=clock().now())
    job = print_when_ready(printing, lambda: queue_ticket_print(
        db.session, ticket, g.kiosk, data, now=clock().now()))
    if job is not None:
        session[TICKET] = {"id": ticket.id, "job": job.id}
    return redirect(url_for("anjungan.ticket_screen"))
