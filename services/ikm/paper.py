"""Paper surveys: a CSV file with the header u1..u9 and one row per respondent (answers 1-4),
separated by commas, semicolons or tabs, checked whole before anything is computed or stored."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from sqlalchemy.orm import Session

from services.catalog.agencies import get_agency
from services.clock import utcnow
from services.errors import ValidationFailed
from services.ikm.index import check_answers
from services.ikm.questionnaire import ELEMENT_KEYS
from services.ikm.report import check_period, service_by_code
from services.models import Agency, Service, SurveyResponse, SurveySource


class PaperSurveyInvalid(ValidationFailed):
    """The file has problems; ``problems`` names each with its line number."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("ikm.paper_invalid")
        self.problems = problems


def read_paper_survey(text: str) -> list[tuple[int, ...]]:
    """The respondents' answers, or PaperSurveyInvalid listing every bad line. Extra columns
    (a respondent number, a date) are ignored; blank lines are skipped."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text.partition("\n")[0]))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [key for key in ELEMENT_KEYS if key not in header]
    if missing:
        raise PaperSurveyInvalid([f"line 1: the header lacks {', '.join(missing)} "
                                  f"(it needs {','.join(ELEMENT_KEYS)})"])
    positions = [header.index(key) for key in ELEMENT_KEYS]
    rows: list[tuple[int, ...]] = []
    problems: list[str] = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        answers, bad = [], []
        for key, position in zip(ELEMENT_KEYS, positions, strict=True):
            value = cells[position].strip() if position < len(cells) else ""
            if not value:
                bad.append(f"{key} is missing")
            elif not re.fullmatch(r"[1-4]", value):
                bad.append(f"{key} is {value!r}, not an answer from 1 to 4")
            else:
                answers.append(int(value))
        if len(cells) > len(header):
            bad.append(f"{len(cells)} columns where the header has {len(header)}")
        if bad:
            problems.append(f"line {line}: " + "; ".join(bad))
        else:
            rows.append(tuple(answers))
    if problems:
        raise PaperSurveyInvalid(problems)
    if not rows:
        raise PaperSurveyInvalid(["the file has no respondents"])
    return rows


def _delimiter(header: str) -> str:
    """A spreadsheet set to Indonesian saves its CSV with semicolons (the comma is its decimal
    mark), and some tools write tabs: the header line shows which one the file uses."""
    return max((",", ";", "\t"), key=header.count)


def paper_agency(service: Service) -> Agency | None:
    """The agency a paper survey of a service is credited to: the one that owns the last
    step of its current workflow, when that step names an agency outright."""
    version = service.current_version
    if version is None or not version.steps:
        return None
    return version.steps[-1].agency


def import_paper_survey(session: Session, rows: list[tuple[int, ...]], *, service_code: str,
                        period: str, agency_code: str | None = None,
                        now: datetime | None = None) -> int:
    """Store each row as a paper response of the service in the month; all or nothing (the
    caller commits)."""
    if check_period(period, "period") is None:
        raise ValidationFailed("ikm.month_format", fields={"period": "ikm.month_format_short"})
    service = service_by_code(session, service_code)
    if agency_code:
        agency = get_agency(session, agency_code.upper())
    else:
        agency = paper_agency(service)
        if agency is None:
            raise ValidationFailed("ikm.agency_needed", fields={"agency": "ikm.agency_required"})
    now = now or utcnow()
    for answers in rows:
        check_answers(answers)
        session.add(SurveyResponse(
            service_id=service.id, service_version_id=service.current_version_id,
            agency_id=agency.id, channel=None, kiosk_id=None, period=period,
            source=SurveySource.PAPER, created_at=now,
            **dict(zip(ELEMENT_KEYS, answers, strict=True))))
    session.flush()
    return len(rows)
