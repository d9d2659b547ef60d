"""GET /api/v1/ikm and `flask ikm compute|import`: the same four keys, filters, errors in the
JSON error format, bad CSV rows reported by line with nothing computed or stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from services.ikm.survey import record_survey, request_subject, resolve_subject
from services.models import SurveyResponse, SurveySource
from tests.builders.ikm import ANSWERS, finish_sktm, finished_city
from tests.builders.workflow import make_city

KEYS = {"respondents", "unsur", "ikm", "grade"}
HEADER = "u1,u2,u3,u4,u5,u6,u7,u8,u9\n"
# The worked example of tests/test_ikm_index.py: NRR 3.50 ... 2.25, IKM 77.78, B.
WORKED = HEADER + "4,3,2,4,3,3,4,3,2\n4,3,3,4,4,3,4,3,3\n3,3,2,4,3,3,4,2,2\n3,3,3,4,3,3,3,3,2\n"


def survey_file(tmp_path, text, name="survey.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def stored_count(session):
    count = session.scalar(select(func.count(SurveyResponse.id)))
    session.close()
    return count


def test_compute_prints_respondents_each_nrr_the_index_and_the_grade(runner, tmp_path):
    result = runner.invoke(args=["ikm", "compute", survey_file(tmp_path, WORKED)])
    assert result.exit_code == 0, result.output
    assert "Respondents: 4" in result.output
    assert "u1  3.50  Persyaratan" in result.output and "u9  2.25" in result.output
    assert "IKM: 77.78" in result.output and "Grade: B (Baik / Good)" in result.output


def test_compute_json_is_one_object_with_exactly_the_four_keys(runner, tmp_path):
    result = runner.invoke(args=["ikm", "compute", survey_file(tmp_path, WORKED), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert set(body) == KEYS
    assert body["respondents"] == 4 and body["ikm"] == 77.78 and body["grade"] == "B"
    assert body["unsur"] == {"u1": 3.5, "u2": 3.0, "u3": 2.5, "u4": 4.0, "u5": 3.25,
                             "u6": 3.0, "u7": 3.75, "u8": 2.75, "u9": 2.25}


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_spreadsheets_semicolons_or_tabs_read_as_its_commas(runner, tmp_path, separator):
    """A spreadsheet set to Indonesian saves "CSV" with semicolons; with a BOM and CRLF too."""
    text = "\ufeff" + WORKED.upper().replace(",", separator).replace("\n", "\r\n")
    result = runner.invoke(args=["ikm", "compute", survey_file(tmp_path, text), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["respondents"], body["ikm"], body["grade"]) == (4, 77.78, "B")


@pytest.mark.parametrize(("text", "problem"), [
    (HEADER + "4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4\n", "line 3: u9 is missing"),
    (HEADER + "4,4,4,4,4,4,4,4,4\n4,4,0,4,4,4,4,4,4\n", "line 3: u3 is '0'"),
    (HEADER + "4,4,4,4,4,4,4,4,5\n", "line 2: u9 is '5'"),
    (HEADER + "4,4,4,4,baik,4,4,4,4\n", "line 2: u5 is 'baik'"),
    (HEADER + "4,4,4,4,4,4,4,4,4\n\n4,4,4,4,4,4,4,4,3.5\n", "line 4: u9 is '3.5'"),
    ("u1,u2,u3,u4,u5,u6,u7,u8\n4,4,4,4,4,4,4,4\n", "line 1: the header lacks u9"),
])
@pytest.mark.parametrize("as_json", [False, True])
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_computed(runner, tmp_path, text,
                                                                    problem, as_json):
    args = ["ikm", "compute", survey_file(tmp_path, text)] + (["--json"] if as_json else [])
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert problem in result.stderr
    assert result.stdout == ""


def test_import_stores_the_rows_as_paper_responses_of_the_service_and_month(
        runner, session, tmp_path):
    make_city(session)
    session.close()
    result = runner.invoke(args=["ikm", "import", survey_file(tmp_path, WORKED),
                                 "--service", "sktm", "--period", "2026-10",
                                 "--agency", "KEC-UTARA"])
    assert result.exit_code == 0, result.output
    assert "Imported 4 paper response(s) for SKTM in 2026-10." in result.output
    rows = session.scalars(select(SurveyResponse)).all()
    assert {(r.source, r.period, r.channel, r.kiosk_id) for r in rows} == {
        (SurveySource.PAPER, "2026-10", None, None)}
    session.close()


@pytest.mark.parametrize(("text", "options", "message"), [
    (WORKED + "4,4,4,4,4,4,4,4,9\n", ["--service", "SKTM", "--period", "2026-10"], "line 6"),
    (WORKED, ["--service", "NOPE", "--period", "2026-10"], "No such service."),
    (WORKED, ["--service", "PBG", "--period", "2026-13"], "YYYY-MM"),
    (WORKED, ["--service", "SKTM", "--period", "2026-10"], "Name the agency"),
])
def test_import_is_all_or_nothing(runner, session, tmp_path, text, options, message):
    make_city(session)
    session.close()
    result = runner.invoke(args=["ikm", "import", survey_file(tmp_path, text), *options])
    assert result.exit_code == 1 and message in result.stderr
    assert stored_count(session) == 0


def test_api_without_answers_has_the_keys_and_no_index(client, session):
    make_city(session)
    session.close()
    body = client.get("/api/v1/ikm").get_json()
    assert set(body) >= KEYS
    assert (body["respondents"], body["ikm"], body["grade"]) == (0, None, None)
    assert body["unsur"] == {f"u{i}": None for i in range(1, 10)}


def test_a_survey_on_a_finished_request_moves_its_service_index(client, session):
    request, pin = finished_city(session)
    session.close()
    before = client.get("/api/v1/ikm?service=SKTM").get_json()
    client.post("/status", data={"tracking_code": request.tracking_code, "pin": pin})
    client.post("/status/survey", data=ANSWERS)
    after = client.get("/api/v1/ikm?service=SKTM&agency=KEC-UTARA").get_json()
    assert before["respondents"] == 0 and after["respondents"] == 1
    # Eight answers of 4 and one of 2: 34/9 x 25 = 850/9 = 94.44 -> A, Sangat Baik.
    assert (after["ikm"], after["grade"], after["label"]) == (94.44, "A", "Sangat Baik")
    assert after["unsur"]["u3"] == 2.0
    # One finished request in scope: the table asks for it (a census), and it answered.
    assert after["sample"] == {"population": 1, "required": 1, "representative": True}
    assert after["filters"] == {"agency": "KEC-UTARA", "service": "SKTM", "from": None,
                                "to": None}
    assert client.get("/api/v1/ikm?service=PBG").get_json()["respondents"] == 0


def test_the_api_filters_by_month_and_marks_too_few_respondents(client, session):
    staff = make_city(session)
    october = datetime(2026, 10, 14, 3, 0, tzinfo=UTC)
    requests = [finish_sktm(session, staff, now=october)[0] for _ in range(3)]
    subject = resolve_subject(session, request_subject(requests[0].id))
    record_survey(session, subject, (3,) * 9, source=SurveySource.KIOSK, tz="Asia/Jakarta",
                  now=october)
    session.commit()
    session.close()
    body = client.get("/api/v1/ikm?from=2026-10&to=2026-10&lang=en").get_json()
    assert (body["respondents"], body["ikm"], body["grade"], body["label"]) == (
        1, 75.0, "C", "Not good")
    assert body["sample"] == {"population": 3, "required": 3, "representative": False}
    assert client.get("/api/v1/ikm?from=2026-11").get_json()["respondents"] == 0


@pytest.mark.parametrize(("query", "status", "field"), [
    ("agency=NOPE", 404, None),
    ("service=NOPE", 404, None),
    ("from=2026-13", 422, "from"),
    ("to=10-2026", 422, "to"),
    ("from=2026-11&to=2026-10", 422, "from"),
])
def test_bad_filters_answer_in_the_json_error_format(client, session, query, status, field):
    make_city(session)
    session.close()
    response = client.get(f"/api/v1/ikm?{query}")
    error = response.get_json()["error"]
    assert response.status_code == status
    assert set(error) == {"code", "message", "fields"}
    if field:
        assert field in error["fields"]


def test_the_openapi_document_describes_the_ikm_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/ikm"]["get"]
    assert {p.get("name") for p in operation["parameters"]} >= {"agency", "service", "from", "to"}
    schema = document["components"]["schemas"]["Ikm"]
    assert set(schema["required"]) >= KEYS
