"""Command-line tools: `flask db`, `flask catalog`, `flask demo`, `flask users`, `flask sla`,
`flask outbox`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from kiosk.extensions import city_calendar, clock, db, password_hasher, pin_keyring, unit_of_work
from kiosk.messages import CLI_LANGUAGE, field_messages, say
from kiosk.signing import ensure_demo_authority, ensure_demo_signing
from services.accounts import UserInput, create_user
from services.berkas.demo import load_demo_berkas, sample_drawing
from services.catalog.transfer import (
    dump_catalog,
    export_catalog,
    import_catalog,
    read_catalog_file,
)
from services.catalog.versions import CatalogInvalid
from services.complaints.sweep import sweep_complaints
from services.database import upgrade_database
from services.demo import load_demo, load_demo_history, load_demo_requests
from services.errors import DomainError
from services.frontoffice.demo import load_demo_tickets
from services.models import Role
from services.payments.demo import load_demo_bills
from services.workflow.sla import sweep_overdue

db_cli = AppGroup("db", help="The database schema.")
catalog_cli = AppGroup("catalog", help="Import and export the service catalog.")
demo_cli = AppGroup("demo", help="The Kota Contoh demonstration data.")
users_cli = AppGroup("users", help="Staff accounts.")
sla_cli = AppGroup("sla", help="Service-level deadlines.")
documents_cli = AppGroup("documents", help="Issued documents and their long-term validation.")


@db_cli.command("upgrade")
@click.option("--revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database schema to the newest migration."""
    upgrade_database(current_app.config["SQLALCHEMY_DATABASE_URI"], revision)
    click.echo("Database is at the newest schema.")


@catalog_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def catalog_import(path: Path) -> None:
    """Import a catalog YAML file; a file with any problem is rejected whole."""
    try:
        with unit_of_work():
            summary = import_catalog(db.session, read_catalog_file(path), path.name,
                                     needs_decree=current_app.config["STANDARD_NEEDS_DECREE"])
    except CatalogInvalid as error:
        click.echo(f"Catalog rejected, nothing was imported ({len(error.problems)} problems):",
                   err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    click.echo(
        f"Imported {path.name}: {len(summary.created)} new services, "
        f"{len(summary.new_versions)} new versions, {len(summary.unchanged)} unchanged, "
        f"{summary.agencies} agencies, {summary.categories} categories, "
        f"{summary.holidays} holidays."
    )


@catalog_cli.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def catalog_export(output: Path | None) -> None:
    """Write the current catalog as YAML (to standard output by default)."""
    text = dump_catalog(export_catalog(db.session))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Catalog written to {output}.")
    else:
        click.echo(text, nl=False)


@demo_cli.command("load")
def demo_load() -> None:
    """Load the Kota Contoh catalog, demo accounts and the demo kiosk (safe to repeat)."""
    with unit_of_work():
        report = load_demo(db.session, device_token=current_app.config["DEMO_DEVICE_TOKEN"] or None,
                           api_key=current_app.config["DEMO_API_KEY"] or None)
    signing = ensure_demo_signing()
    if signing:
        report.append(signing)
    for line in report:
        click.echo(line)


@demo_cli.command("signing")
def demo_signing() -> None:
    """Make KRK, PBG and SIP-DOKTER decisions signed by their agency's official (new catalog
    versions from demo/keputusan.yaml; safe to repeat) and the demo signing authority."""
    from services.demo import DEMO_DECISIONS, load_demo_officials
    from services.signing.catalog import apply_signing

    with unit_of_work():
        summary = apply_signing(db.session, read_catalog_file(DEMO_DECISIONS),
                                DEMO_DECISIONS.name)
        officials = load_demo_officials(db.session)
    click.echo(f"Signing stage: {len(summary.new_versions)} new versions, "
               f"{len(summary.unchanged)} unchanged.")
    for line in officials:
        click.echo(line)
    if authority := ensure_demo_authority():
        click.echo(authority)


def demo_drawing() -> bytes:
    """The demo kiosk's scan: SANE's test device when scanimage is installed, else samples."""
    from kiosk_client.scanning import SaneScanner, ScannerUnavailable, join_pages

    try:
        scanner = SaneScanner(device="test", resolution=75)
        return join_pages([scanner.scan_page(), scanner.scan_page()])
    except ScannerUnavailable:
        return join_pages(sample_drawing())


@demo_cli.command("history")
@click.option("--agency", "agency_code", default="DINKES", show_default=True)
def demo_history(agency_code: str) -> None:
    """Add ten answered complaints and ten paper surveys for an agency, and a dozen decided
    requests for each of two services, and the last working day of queue tickets at the MPP
    counters (safe to repeat), so the command center and the public
    page /kinerja, which hides cells under ten cases, have figures to show."""
    with unit_of_work():
        lines = load_demo_history(db.session, pins=pin_keyring(), agency_code=agency_code,
                                  calendar=city_calendar(), now=clock().now())
        lines += load_demo_requests(db.session, pins=pin_keyring(), calendar=city_calendar())
        lines += load_demo_tickets(db.session, calendar=city_calendar(), now=clock().now())
        bills = load_demo_bills(db.session, pins=pin_keyring(), calendar=city_calendar())
    lines += bills.lines
    if bills.statement_csv:
        path = Path(current_app.instance_path) / f"rekening-koran-{bills.statement_day}.csv"
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_text(bills.statement_csv, encoding="utf-8")
        lines.append(f"The bank's statement of {bills.statement_day}, with one credit never "
                     f"notified, for the treasurer's reconciliation: {path}")
    for line in lines:
        click.echo(line)


@demo_cli.command("berkas")
def demo_berkas() -> None:
    """File a PBG request with a scanned drawing and a certificate photo, the drawing marked
    tidak sesuai by clerk.dpmptsp (safe to repeat)."""
    with unit_of_work():
        lines = load_demo_berkas(db.session, current_app.extensions["berkas"],
                                 drawing=demo_drawing(), pins=pin_keyring(),
                                 calendar=city_calendar(), now=clock().now())
    for line in lines:
        click.echo(line)


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--agency", "agency_code")
@click.password_option()
def users_create(username: str, full_name: str, role: str, agency_code: str | None,
                 password: str) -> None:
    """Create a staff account."""
    try:
        with unit_of_work():
            create_user(db.session, UserInput(username=username, full_name=full_name,
                                              role=Role(role), agency_code=agency_code,
                                              password=password),
                        hasher=password_hasher())
    except DomainError as error:
        click.echo(f"Not created: {say(error.message, CLI_LANGUAGE)} "
                   f"{field_messages(error.fields, CLI_LANGUAGE)}", err=True)
        sys.exit(1)
    click.echo(f"Created {role} {username}.")


@sla_cli.command("sweep")
def sla_sweep() -> None:
    """Mark tasks past their deadline as overdue and escalate them to supervisors (run often)."""
    with unit_of_work():
        now = clock().now()
        result = sweep_overdue(db.session, now=now, calendar=city_calendar())
        complaints = sweep_complaints(db.session, now=now)
    click.echo(f"{len(result.tasks)} task(s) and {len(result.requests)} request(s) newly "
               "overdue and escalated.")
    for task in result.tasks:
        click.echo(f"  {task.agency.code}: {task.request.tracking_code} task {task.id}, "
                   f"due {task.due_at.isoformat() if task.due_at else '-'}")
    for request in result.requests:
        click.echo(f"  request {request.tracking_code}, "
                   f"due {request.due_at.isoformat() if request.due_at else '-'}")
    click.echo(f"Complaints: {len(complaints.forward_overdue)} past the forwarding deadline, "
               f"{len(complaints.answer_overdue)} answer(s) overdue, "
               f"{len(complaints.closed_unconfirmed)} closed without confirmation.")


@documents_cli.command("renew-timestamps")
@click.option("--within-days", default=365, show_default=True,
              help="Re-stamp documents whose time-stamp's TSA certificate expires this soon.")
def renew_document_timestamps(within_days: int) -> None:
    """Add a fresh document time-stamp (PAdES B-LTA) to the documents that need one; run it
    yearly (cron or a systemd timer)."""
    from datetime import timedelta

    from kiosk.signing import trust_roots
    from services.documents.remote import LongTermSettings, SigningUnavailable
    from services.signing.renewal import renew_timestamps

    tsa = current_app.config.get("SIGNING_TSA_URL", "")
    if not tsa:
        raise click.ClickException("KIOSK_SIGNING_TSA_URL is not set: no TSA to re-stamp with.")
    try:
        with unit_of_work():
            renewed = renew_timestamps(
                db.session, settings=LongTermSettings(
                    tsa, trust_roots=tuple(trust_roots()),
                    outbound_allow=tuple(current_app.config.get("OUTBOUND_ALLOW", ()))),
                now=clock().now(), within=timedelta(days=within_days))
    except SigningUnavailable as failed:
        raise click.ClickException("The TSA or a revocation responder did not answer; "
                                   "nothing was re-stamped.") from failed
    click.echo(f"Re-stamped {len(renewed)} documents.")
    for document in renewed:
        click.echo(f"  {document.number}: next renewal before "
                   f"{document.timestamp_expires_at.date() if document.timestamp_expires_at else '-'}")


def install_commands(app: Flask) -> None:
    from kiosk.bank.commands import bank_cli
    from kiosk.command.cli import figures_cli, report_cli
    from kiosk.ikm.commands import ikm_cli
    from kiosk.loket.cli import loket_cli
    from kiosk.notifications.commands import outbox_cli

    for group in (db_cli, catalog_cli, demo_cli, users_cli, sla_cli, ikm_cli, outbox_cli,
                  report_cli, figures_cli, bank_cli, documents_cli,
                  loket_cli):
        app.cli.add_command(group)
