"""The command center, its CSV downloads and targets, the public /kinerja page and /metrics,
over HTTP."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.db import utcnow
from services.models import Agency, AgencyTarget, Role
from services.workflow.tasks import approve_task
from tests.builders import login, make_user
from tests.builders.workflow import make_city, open_task, submit


@pytest.fixture
def city(app_session):
    staff = make_city(app_session)
    make_user(app_session, "walikota", Role.LEADERSHIP, agency=None)
    make_user(app_session, "boss", Role.ADMIN)
    return staff


def decide_sktm(session, staff, count, kecamatan="utara"):
    """``count`` SKTM requests made an hour ago and approved now, on time."""
    for _ in range(count):
        request, _pin = submit(session, "SKTM", now=utcnow() - timedelta(hours=1),
                               kecamatan=kecamatan)
        approve_task(session, actor=staff[f"clerk.kec-{kecamatan}"],
                     task_id=open_task(session, request, f"KEC-{kecamatan.upper()}").id)
    session.commit()


def html_table(page: str, key: str) -> list[list[str]]:
    """The rows of a figure table on a page, header first, as the reader sees them."""
    section = page.split(f'id="table-{key}"', 1)[1].split("</section>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"\s+", " ", c).strip().replace("&amp;", "&") for c in cells])
    return rows


def test_leadership_lands_on_the_command_center_and_sees_every_agency(client, city):
    assert login(client, "walikota").headers["Location"].endswith("/command/")
    page = client.get("/command/").get_data(as_text=True)
    assert "KEC-UTARA" in page or "Agency KEC-UTARA" in page
    assert [row[0] for row in html_table(page, "agencies")[1:]] == [
        f"Agency {code}" for code in ("DLH", "DPMPTSP", "DPUPR", "KEC-SELATAN", "KEC-UTARA")]
    assert 'id="table-kiosks"' in page


def test_a_supervisor_sees_only_their_own_agency(client, app_session, city):
    decide_sktm(app_session, city, 2, "utara")
    decide_sktm(app_session, city, 1, "selatan")
    login(client, "spv.kec-utara")
    page = client.get("/command/").get_data(as_text=True)
    agencies = html_table(page, "agencies")
    assert [row[0] for row in agencies[1:]] == ["Agency KEC-UTARA"]
    services = html_table(page, "services")
    assert [(row[0], row[2]) for row in services[1:]] == [("Service SKTM", "2")]
    assert 'id="table-kiosks"' not in page and "KEC-SELATAN" not in page


def test_clerks_and_officers_cannot_read_the_figures(client, app_session, city):
    login(client, "clerk.dpmptsp")
    assert client.get("/command/").status_code == 403
    assert client.get("/command/agencies.csv").status_code == 403


def test_every_csv_matches_the_table_on_the_page(client, app_session, city):
    decide_sktm(app_session, city, 3)
    login(client, "walikota")
    page = client.get("/command/?period=90").get_data(as_text=True)
    for key in ("agencies", "outcomes", "services", "ikm", "days", "kiosks"):
        response = client.get(f"/command/{key}.csv?period=90")
        assert response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        shown = html_table(page, key)
        if len(shown) == 2 and len(shown[1]) == 1:  # "no data yet" row
            shown = shown[:1]
        assert rows == shown, key


def test_an_administrator_sets_a_target_and_it_stands_beside_the_figure(client, app_session,
                                                                         city):
    login(client, "boss")
    year = utcnow().year
    response = client.post(f"/command/targets?year={year}", data={
        "agency": "KEC-UTARA", "on_time_percent": "85", "ikm": "80.5",
        "complaints_resolved_percent": "70"})
    assert response.status_code == 302
    app_session.expire_all()
    utara = app_session.scalar(select(Agency.id).where(Agency.code == "KEC-UTARA"))
    target = app_session.scalar(select(AgencyTarget).where(AgencyTarget.agency_id == utara))
    assert (target.on_time_percent, str(target.ikm), target.complaints_resolved_percent) == (
        85, "80.50", 70)
    page = client.get("/command/?period=year").get_data(as_text=True)
    row = next(r for r in html_table(page, "agencies") if r[0] == "Agency KEC-UTARA")
    assert row[5] == "85"


def test_a_target_out_of_range_is_refused_and_changes_nothing(client, app_session, city):
    login(client, "boss")
    client.post("/command/targets", data={"agency": "KEC-UTARA", "on_time_percent": "120"})
    assert app_session.scalar(select(AgencyTarget)) is None
    client.post("/auth/logout")
    login(client, "walikota")
    assert client.post("/command/targets", data={"agency": "KEC-UTARA",
                                                 "on_time_percent": "50"}).status_code == 403
    assert app_session.scalar(select(AgencyTarget)) is None


def test_the_public_page_withholds_every_cell_under_ten_cases(client, app_session, city):
    decide_sktm(app_session, city, 10, "utara")
    decide_sktm(app_session, city, 9, "selatan")
    page = client.get("/kinerja").get_data(as_text=True)
    assert client.get("/kinerja").status_code == 200
    rows = {r[0]: r for r in re.findall(
        r'<tr>\s*<th scope="row">(.*?)</th>\s*<td class="num-cell" data-figure="decided">(.*?)</td>\s*'
        r'<td class="num-cell" data-figure="on_time">(.*?)</td>', page, re.S)}
    assert rows["Agency KEC-UTARA"][1:] == ("10", "100,0%")
    assert rows["Agency KEC-SELATAN"][1:] == ("&lt;10", "&lt;10")
    assert "Siti" not in page and "3578" not in page


def test_metrics_are_for_loopback_or_the_token_holder(app, client, app_session, city):
    submit(app_session, "SKTM", kecamatan="utara")
    app_session.commit()
    body = client.get("/metrics").get_data(as_text=True)
    assert 'ekiosk_requests_total{channel="web"} 1.0' in body
    assert 'ekiosk_backlog_tasks{agency="KEC-UTARA"} 1.0' in body
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 403
    app.config["METRICS_TOKEN"] = "scrape-me"
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer scrape-me"}).status_code == 200
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer wrong"}).status_code == 403


def test_the_yearly_pdf_holds_the_same_numbers_as_the_page(client, app_session, city,
                                                          artifacts):
    from tests.builders.printing import pdf_text, require_tools

    require_tools("pdftotext")
    decide_sktm(app_session, city, 3)
    login(client, "walikota")
    year = utcnow().year
    response = client.get(f"/command/report.pdf?year={year}")
    assert response.mimetype == "application/pdf"
    (artifacts / "evaluasi-tahunan.pdf").write_bytes(response.data)
    text = " ".join(pdf_text(response.data).split())
    page = client.get(f"/command/?year={year}").get_data(as_text=True)
    for key in ("agencies", "services"):
        for row in html_table(page, key)[1:]:
            assert " ".join(row[1:]) in text, (key, row)
    assert f"Evaluasi tahunan pelayanan publik {year}" in text


def test_flask_report_yearly_writes_the_city_and_an_agency_report(runner, app_session, city,
                                                                  tmp_path):
    from tests.builders.printing import pdf_text, require_tools

    require_tools("pdftotext")
    decide_sktm(app_session, city, 2)
    year = utcnow().year
    city_pdf = tmp_path / "city.pdf"
    result = runner.invoke(args=["report", "yearly", "--year", str(year), "-o", str(city_pdf)])
    assert result.exit_code == 0, result.output
    assert "Agency KEC-SELATAN" in pdf_text(city_pdf)
    agency_pdf = tmp_path / "utara.pdf"
    result = runner.invoke(args=["report", "yearly", "--year", str(year), "--agency",
                                 "KEC-UTARA", "--lang", "en", "-o", str(agency_pdf)])
    assert result.exit_code == 0, result.output
    text = pdf_text(agency_pdf)
    assert "Yearly evaluation of public services" in text and "KEC-SELATAN" not in text
    result = runner.invoke(args=["report", "yearly", "--year", str(year), "--agency", "NOPE"])
    assert result.exit_code == 2


def test_flask_figures_refresh_rolls_up_the_days_before_today(runner, app_session, city):
    from services.performance.rollups import rolled_through

    submit(app_session, "SKTM", now=utcnow() - timedelta(days=3), kecamatan="utara")
    app_session.commit()
    result = runner.invoke(args=["figures", "refresh"])
    assert result.exit_code == 0, result.output
    app_session.expire_all()
    assert rolled_through(app_session) is not None
    assert "Rolled up" in result.output
