"""`flask loket group`: an administrator sets up a counter group and its counters."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from kiosk.extensions import db, unit_of_work
from kiosk.messages import CLI_LANGUAGE, say
from services.errors import DomainError
from services.frontoffice.hall import ensure_counter_group

loket_cli = AppGroup("loket", help="The MPP front office: counter groups and counters.")


def _numbers(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("counter numbers separated by commas, e.g. 1,2") from None


@loket_cli.command("group")
@click.option("--code", required=True, help="e.g. ADMINDUK")
@click.option("--name", required=True, help="e.g. Adminduk")
@click.option("--prefix", required=True, help="the ticket letter, e.g. A")
@click.option("--counters", required=True, help="the counter numbers, e.g. 1,2")
@click.option("--services", default="", help="service codes whose next step is this counter")
@click.option("--hours", default="08:00-15:00", show_default=True)
@click.option("--quota", default=200, show_default=True)
@click.option("--slot-minutes", default=30, show_default=True)
@click.option("--slot-capacity", default=4, show_default=True)
@click.option("--target-wait", default=30, show_default=True, help="minutes")
@click.option("--running-text", default="")
def group(code: str, name: str, prefix: str, counters: str, services: str, hours: str,
          quota: int, slot_minutes: int, slot_capacity: int, target_wait: int,
          running_text: str) -> None:
    """Make or update a counter group with these counters (safe to repeat)."""
    opens, _, closes = hours.partition("-")
    try:
        _set_up(code, name, prefix, counters, services, opens, closes, quota, slot_minutes,
                slot_capacity, target_wait, running_text)
    except DomainError as refused:
        raise click.ClickException(say(refused.message, CLI_LANGUAGE)) from None


def _set_up(code: str, name: str, prefix: str, counters: str, services: str, opens: str,
            closes: str, quota: int, slot_minutes: int, slot_capacity: int, target_wait: int,
            running_text: str) -> None:
    with unit_of_work():
        made = ensure_counter_group(
            db.session, code=code.strip().upper(), name=name.strip(),
            prefix=prefix.strip().upper()[:2], counters=_numbers(counters),
            service_codes=[s.strip() for s in services.split(",") if s.strip()],
            daily_quota=quota, opens_at=opens.strip(), closes_at=closes.strip(),
            slot_minutes=slot_minutes, slot_capacity=slot_capacity,
            target_wait_minutes=target_wait, running_text=running_text)
        click.echo(f"{made.code} ({made.prefix}): counters {counters}; display /layar/{made.code}")
