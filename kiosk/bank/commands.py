"""`flask bank simulate` (the demo bank), `flask bank sweep` (bill reminders and expiry)."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.bank.simulator import DemoBank, DemoBankServer
from kiosk.extensions import city_calendar, clock, db, unit_of_work
from services.payments.settlement import sweep_bills

bank_cli = AppGroup("bank", help="The city's bank: bills, and the demo bank simulator.")


@bank_cli.command("simulate")
@click.option("--port", default=8010, show_default=True)
@click.option("--app-url", default="http://127.0.0.1:8000", show_default=True,
              help="Where the e-Kiosk app answers the bank's SNAP calls.")
def simulate(port: int, app_url: str) -> None:
    """Run the demo bank on 127.0.0.1: it pays bills (POST /pay) with signed SNAP calls to the
    app and serves its statement (GET /statement.csv). Uses the demo bank's keys."""
    config = current_app.config
    private = Path(config["BANK_PUBLIC_KEY"]).parent / "bank_private.pem"
    if not private.exists():
        raise click.ClickException("The demo bank's private key is missing: the bank "
                                   "simulator runs only with the demo keys (no "
                                   "KIOSK_BANK_PUBLIC_KEY).")
    bank = DemoBank(app_url=app_url.rstrip("/"), client_key=config["BANK_CLIENT_KEY"],
                    client_secret=config["BANK_CLIENT_SECRET"],
                    private_key_pem=private.read_bytes(), va_prefix=config["VA_PREFIX"])
    with DemoBankServer(bank, port=port) as server:
        click.echo(f"Demo bank at {server.url} paying into {bank.app_url}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


@bank_cli.command("sweep")
def sweep() -> None:
    """Remind of bills near their due date and expire unpaid ones (run daily, or often)."""
    with unit_of_work():
        result = sweep_bills(db.session, now=clock().now(), calendar=city_calendar())
    click.echo(f"{len(result.reminded)} bill(s) reminded, {len(result.expired)} expired.")
