"""`flask outbox work`: the worker that delivers the outbox and runs the SLA sweep."""

from __future__ import annotations

import signal
from datetime import datetime
from threading import Event as StopFlag
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session, sessionmaker

from kiosk.extensions import city_calendar, db
from kiosk.notifications.config import build_providers, outbox_settings
from services.berkas.files import Berkas, delete_from_store, remove_loose_uploads
from services.berkas.retention import remove_expired_documents
from services.city_calendar import CityCalendar
from services.complaints.sweep import sweep_complaints
from services.outbox.monitoring import state_counts
from services.outbox.worker import PeriodicJob, run_worker
from services.performance.rollups import refresh_rollups
from services.unit_of_work import UnitOfWork
from services.workflow.sla import sweep_overdue

ROLLUP_EVERY_SECONDS = 3600.0
LOOSE_UPLOADS_EVERY_SECONDS = 3600.0
RETENTION_EVERY_SECONDS = 24 * 3600.0
outbox_cli = AppGroup("outbox", help="Notifications and webhooks waiting to be delivered.")


def sla_sweep_job(calendar: CityCalendar, every_seconds: float) -> PeriodicJob:
    """The SLA sweep of tasks and requests, and of complaints' deadlines."""
    def run(session: Session, now: datetime) -> str:
        with UnitOfWork(session):
            result = sweep_overdue(session, now=now, calendar=calendar)
            complaints = sweep_complaints(session, now=now)
        return (f"{len(result.tasks)} task(s), {len(result.requests)} request(s) newly overdue; "
                f"{len(complaints.forward_overdue) + len(complaints.answer_overdue)} complaint "
                f"deadline(s) missed, {len(complaints.closed_unconfirmed)} closed unconfirmed")
    return PeriodicJob("sla-sweep", every_seconds, run)


def figures_rollup_job(tz: str, every_seconds: float) -> PeriodicJob:
    """The command center's daily rollups, kept up to yesterday."""
    def run(session: Session, now: datetime) -> str:
        with UnitOfWork(session):
            period = refresh_rollups(session, today=now.astimezone(ZoneInfo(tz)).date(), tz=tz)
        return "nothing to roll up" if period is None else f"{period.first} to {period.last}"
    return PeriodicJob("figures-rollup", every_seconds, run)


def loose_uploads_job(berkas: Berkas, every_seconds: float) -> PeriodicJob:
    """The uploads of drafts never submitted, a day old, and their stored bytes."""
    def run(session: Session, now: datetime) -> str:
        with UnitOfWork(session):
            digests = remove_loose_uploads(session, now=now)
        return f"{delete_from_store(berkas, digests)} stored file(s) of loose uploads removed"
    return PeriodicJob("loose-uploads", every_seconds, run)


def document_retention_job(berkas: Berkas, every_seconds: float) -> PeriodicJob:
    """The documents of requests finished longer ago than their service keeps them."""
    def run(session: Session, now: datetime) -> str:
        with UnitOfWork(session):
            result = remove_expired_documents(session, now=now)
        deleted = delete_from_store(berkas, result.digests)
        return f"{len(result.removed)} document(s) past retention, {deleted} stored file(s) removed"
    return PeriodicJob("document-retention", every_seconds, run)


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
@click.option("--no-sla-sweep", is_flag=True, help="Leave the SLA sweep to cron.")
def outbox_work(once: bool, no_sla_sweep: bool) -> None:
    """Deliver messages and webhooks (retries, dead letters); run the SLA sweep periodically."""
    config = current_app.config
    stop = StopFlag()
    if not once:  # finish the message in hand, then stop
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    every = config["SLA_SWEEP_SECONDS"]
    periodic = [figures_rollup_job(config["CITY_TIMEZONE"], ROLLUP_EVERY_SECONDS),
                loose_uploads_job(current_app.extensions["berkas"], LOOSE_UPLOADS_EVERY_SECONDS),
                document_retention_job(current_app.extensions["berkas"], RETENTION_EVERY_SECONDS)]
    if not no_sla_sweep and every > 0:
        periodic.append(sla_sweep_job(city_calendar(), every))
    factory = sessionmaker(db.engine, expire_on_commit=False)
    if not once:
        click.echo(f"Outbox worker started (messages folder {config['NOTIFY_FOLDER']}).")
    handled = run_worker(factory, providers=build_providers(config),
                         settings=outbox_settings(config), periodic=periodic, once=once,
                         stop=stop)
    click.echo(f"Outbox worker handled {handled} message(s).")


@outbox_cli.command("status")
def outbox_status() -> None:
    """How many messages are pending, sending, sent, dead or cancelled."""
    for state, count in state_counts(db.session).items():
        click.echo(f"{state:10} {count}")
