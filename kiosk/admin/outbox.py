"""Admin pages for the outbox (messages, dead letters, resending) and webhook subscribers
(register, change, new secret, delivery log without bodies)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.admin import bp
from kiosk.admin.common import show_errors
from kiosk.admin.forms.webhooks import WebhookForm
from kiosk.auth import current_staff
from kiosk.extensions import db, unit_of_work
from kiosk.messages import say
from services.errors import InvalidTransition, ValidationFailed
from services.models import OutboxChannel, OutboxState
from services.outbox.monitoring import outbox_messages, resend, state_counts
from services.outbox.policy import masked_address
from services.outbox.webhooks import (
    SecretBox,
    delivery_log,
    get_subscriber,
    register_subscriber,
    rotate_secret,
    subscribers,
    update_subscriber,
)


def _box() -> SecretBox:
    return SecretBox(current_app.config["SECRET_KEY"])


@bp.get("/outbox/")
def outbox():
    state = request.args.get("state") or None
    channel = request.args.get("channel") or None
    try:
        chosen_state = OutboxState(state) if state else None
        chosen_channel = OutboxChannel(channel) if channel else None
    except ValueError:
        abort(404)
    return render_template("admin/outbox/list.html", counts=state_counts(db.session),
                           messages=outbox_messages(db.session, state=chosen_state,
                                                    channel=chosen_channel),
                           state=state, channel=channel, states=list(OutboxState),
                           channels=list(OutboxChannel), masked=masked_address)


@bp.post("/outbox/<int:message_id>/resend")
def resend_message(message_id: int):
    try:
        with unit_of_work():
            resend(db.session, message_id, actor=current_staff())
    except InvalidTransition as refused:
        flash(say(refused.message), "error")
    else:
        flash(_("Pesan dijadwalkan untuk dikirim ulang."), "ok")
    return redirect(url_for("admin.outbox", state=request.form.get("back_state") or None))


@bp.get("/webhooks/")
def webhooks():
    return render_template("admin/webhooks/list.html", subscribers=subscribers(db.session))


def _show_secret(subscriber_id: int, secret: str):  # type: ignore[no-untyped-def]
    """The secret is shown once, on this page, and never again."""
    return render_template("admin/webhooks/secret.html",
                           subscriber=get_subscriber(db.session, subscriber_id), secret=secret)


@bp.route("/webhooks/new", methods=["GET", "POST"])
def new_webhook():
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                subscriber, secret = register_subscriber(
                    db.session, form.to_input(), box=_box(), actor=current_staff(),
                    allow=current_app.config["OUTBOUND_ALLOW"])
        except ValidationFailed as error:
            show_errors(form, error)
        else:
            return _show_secret(subscriber.id, secret)
    return render_template("admin/webhooks/form.html", form=form, subscriber=None)


@bp.route("/webhooks/<int:subscriber_id>/edit", methods=["GET", "POST"])
def edit_webhook(subscriber_id: int):
    subscriber = get_subscriber(db.session, subscriber_id)
    form = WebhookForm(obj=subscriber)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                update_subscriber(db.session, subscriber_id, form.to_input(), actor=current_staff(),
                                  allow=current_app.config["OUTBOUND_ALLOW"])
        except ValidationFailed as error:
            show_errors(form, error)
        else:
            flash(_("Penerima webhook disimpan."), "ok")
            return redirect(url_for("admin.webhook", subscriber_id=subscriber_id))
    return render_template("admin/webhooks/form.html", form=form, subscriber=subscriber)


@bp.post("/webhooks/<int:subscriber_id>/rotate")
def rotate_webhook_secret(subscriber_id: int):
    with unit_of_work():
        secret = rotate_secret(db.session, subscriber_id, box=_box(), actor=current_staff())
    return _show_secret(subscriber_id, secret)


@bp.get("/webhooks/<int:subscriber_id>")
def webhook(subscriber_id: int):
    return render_template("admin/webhooks/log.html",
                           subscriber=get_subscriber(db.session, subscriber_id),
                           deliveries=delivery_log(db.session, subscriber_id))
