"""Follow, book, cancel."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from kiosk.antrean import bp
from kiosk.extensions import city_calendar, clock, db, limiter, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import field_messages, say
from kiosk.urls import public_base_url
from services.codes import format_tracking_code
from services.errors import DomainError, ValidationFailed
from services.frontoffice.bookings import (
    BookingInput,
    book_slot,
    booking_by_code,
    cancel_booking,
    slots_with_room,
)
from services.frontoffice.queue import (
    active_groups,
    group_by_code,
    group_for_service,
    open_ticket_for_request,
    ticket_by_follow_key,
    ticket_place,
    transferred_to,
)
from services.frontoffice.rules import require_bookable_day
from services.models import ServiceRequest
from services.qr import qr_svg


@bp.get("/antrean/<key>")
def follow(key: str):
    """Where the ticket stands, re-read every few seconds by the page itself."""
    ticket = ticket_by_follow_key(db.session, key)
    moved = transferred_to(db.session, ticket)
    return render_template("antrean/follow.html", ticket=ticket, moved=moved,
                           place=ticket_place(db.session, ticket, clock().now()))


class BookingForm(FlaskForm):
    group = SelectField(_l("Loket"), choices=[], validate_choice=False)
    day = DateField(_l("Tanggal"))
    slot = RadioField(_l("Jam"), choices=[], validate_choice=False)
    nik = StringField(_l("NIK"), render_kw={"inputmode": "numeric", "maxlength": 16,
                                           "autocomplete": "off"})
    name = StringField(_l("Nama lengkap"), render_kw={"maxlength": 120})
    phone = StringField(_l("Nomor HP"), render_kw={"inputmode": "tel", "maxlength": 16})
    notify = RadioField(_l("Kirim konfirmasi dan pengingat lewat"),
                        choices=[SelectChoice("whatsapp", "WhatsApp"), SelectChoice("sms", "SMS")],
                        default="whatsapp")
    tracking_code = StringField(_l("Kode pelacakan permohonan (jika ada)"),
                                render_kw={"maxlength": 14, "autocomplete": "off"})


def _slot_choices(group_code: str, day: date | None) -> list[tuple[str, str, int]]:
    if not group_code or day is None:
        return []
    try:
        group = group_by_code(db.session, group_code)
    except DomainError:
        return []
    zone = ZoneInfo(city_calendar().timezone)
    return [(room.slot.start.isoformat(), room.slot.start.astimezone(zone)
             .strftime("%H.%M"), room.left)
            for room in slots_with_room(db.session, group=group, day=day,
                                        calendar=city_calendar())]


@bp.route("/antrean/pesan", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def book():
    """Book a slot: a counter group, a working day, a time with room; the code comes by
    message with a cancel link."""
    form = BookingForm(data=None if request.method == "POST" else {
        "group": request.args.get("group", ""), "tracking_code": request.args.get("code", "")})
    groups = active_groups(db.session)
    form.group.choices = [SelectChoice(g.code, f"{g.prefix} · {g.name}") for g in groups]
    day = form.day.data if request.method == "POST" else _day_arg()
    slots = _slot_choices(form.group.data or (groups[0].code if groups else ""), day)
    form.slot.choices = [SelectChoice(value, label) for value, label, left in slots if left > 0]
    errors: dict[str, str] = {}
    if request.method == "GET" and day is not None:
        calendar = city_calendar()
        try:  # a weekend, a holiday or a day out of range has no slots to offer
            require_bookable_day(day, calendar.local_day(clock().now()),
                                 calendar.holidays(db.session))
        except ValidationFailed as closed:
            slots, errors = [], {"": say(closed.message)}
    if request.method == "POST" and form.validate_on_submit() and form.slot.data:
        try:
            with unit_of_work():
                booking = book_slot(db.session, BookingInput(
                    group_code=form.group.data or "", day=form.day.data,
                    slot_start=datetime.fromisoformat(form.slot.data),
                    nik=form.nik.data or "", name=form.name.data or "",
                    phone=form.phone.data or "", notify=form.notify.data or "whatsapp",
                    language=current_language(),
                    tracking_code=form.tracking_code.data or None),
                    pins=pin_keyring(), clock=clock(), calendar=city_calendar(),
                    city=current_app.config["CITY_NAME"], base_url=public_base_url())
                code = booking.code
        except ValidationFailed as invalid:
            errors = field_messages(invalid.fields) or {"": say(invalid.message)}
        except DomainError as refused:
            errors = {"": say(refused.message)}
        else:
            return redirect(url_for("antrean.booked", code=code))
    elif request.method == "POST":
        errors = {"slot": str(_l("Pilih jam yang masih tersedia."))}
    return render_template("antrean/book.html", form=form, slots=slots, day=day,
                           errors=errors), 422 if errors and request.method == "POST" else 200


def _day_arg() -> date | None:
    try:
        return date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None


@bp.get("/antrean/pesan/<code>")
def booked(code: str):
    booking = booking_by_code(db.session, code)
    # qr_svg draws the SVG itself and escapes its one text (B704)
    code_qr = Markup(qr_svg(format_tracking_code(booking.code),  # nosec B704
                            label=str(_l("Kode QR booking"))))
    return render_template("antrean/booked.html", booking=booking, code_qr=code_qr)


@bp.route("/antrean/batal/<code>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def cancel(code: str):
    """The cancel link from the message: a confirmation, then the slot is freed."""
    token = request.values.get("t", "")
    if request.method == "POST":
        FlaskForm().validate_on_submit()
        with unit_of_work():
            booking = cancel_booking(db.session, code=code, token=token, pins=pin_keyring(),
                                     clock=clock())
        return render_template("antrean/cancelled.html", booking=booking)
    booking = booking_by_code(db.session, code)
    return render_template("antrean/cancel.html", booking=booking, token=token)


def counter_visit(found: ServiceRequest) -> dict[str, Any]:
    """What a request's status page says about its counter visit: the place of its open
    ticket ("Anda nomor 4 berikutnya"), or the offer to book a slot when a visit is needed."""
    ticket = open_ticket_for_request(db.session, found.id)
    if ticket is not None:
        return {"visit_ticket": ticket,
                "visit_place": ticket_place(db.session, ticket, clock().now())}
    group = group_for_service(db.session, found.service_version.service.code)
    return {"visit_ticket": None, "visit_place": None, "visit_group": group}
