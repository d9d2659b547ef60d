"""`flask ikm compute` and `flask ikm import`: paper surveys (CSV, header u1..u9)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from kiosk.api.serializers import ikm_json
from kiosk.extensions import db, unit_of_work
from kiosk.ikm.questionnaire import GRADE_NAMES, elements
from kiosk.messages import CLI_LANGUAGE, field_messages, say
from services.errors import DomainError
from services.ikm.index import compute_ikm
from services.ikm.paper import PaperSurveyInvalid, import_paper_survey, read_paper_survey

ikm_cli = AppGroup("ikm", help="The public satisfaction index (IKM, PermenPANRB 14/2017).")


def _read_or_exit(path: Path) -> list[tuple[int, ...]]:
    try:
        return read_paper_survey(path.read_text(encoding="utf-8-sig"))
    except PaperSurveyInvalid as error:
        click.echo(f"{path.name}: {say(error.message, CLI_LANGUAGE)}", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    except UnicodeDecodeError:
        click.echo(f"{path.name}: not a UTF-8 text file; nothing was computed.", err=True)
        sys.exit(1)


@ikm_cli.command("compute")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: respondents, unsur, ikm, grade.")
def ikm_compute(path: Path, as_json: bool) -> None:
    """Compute the IKM of a paper survey; a bad row stops it with its line number."""
    result = compute_ikm(_read_or_exit(path))
    if as_json:
        click.echo(json.dumps(ikm_json(result)))
        return
    click.echo(f"Respondents: {result.respondents}")
    click.echo("NRR per unsur:")
    scores = result.rounded_scores()
    with force_locale("id"):  # the regulation's own names of the unsur
        names = elements()
    for element in names:
        click.echo(f"  {element.key}  {scores[element.key]}  {element.name}")
    assert result.grade is not None
    click.echo(f"IKM: {result.ikm}")
    names = []
    for language in ("id", "en"):
        with force_locale(language):
            names.append(str(GRADE_NAMES[result.grade.letter]))
    click.echo(f"Grade: {result.grade.letter} ({' / '.join(names)})")


@ikm_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--service", "service_code", required=True, help="The service's code.")
@click.option("--period", required=True, help="The month surveyed, YYYY-MM.")
@click.option("--agency", "agency_code",
              help="Credit this agency (default: the agency of the service's last step).")
def ikm_import(path: Path, service_code: str, period: str, agency_code: str | None) -> None:
    """Store a paper survey's rows as paper responses; all or nothing."""
    rows = _read_or_exit(path)
    try:
        with unit_of_work():
            count = import_paper_survey(db.session, rows, service_code=service_code,
                                        period=period, agency_code=agency_code)
    except DomainError as error:
        fields = "".join(f" {name}: {text}"
                         for name, text in field_messages(error.fields, CLI_LANGUAGE).items())
        click.echo(f"Nothing imported: {say(error.message, CLI_LANGUAGE)}{fields}", err=True)
        sys.exit(1)
    click.echo(f"Imported {count} paper response(s) for {service_code.upper()} in {period}.")
