"""One answers pipeline: the kiosk's pages, the check page and submit_request decide show-if
on the same cleaned answers, so a citizen who writes numbers as Indonesians do is never stuck."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.models import ServiceRequest
from tests.builders.kiosk import (
    NIK,
    PHONE,
    enrol,
    field_def,
    make_catalog,
    make_kiosk,
    service_def,
    step_def,
)

RICH = {"field": "income", "op": "gt", "value": 10000}


def aid_service(*, reason_page: int) -> dict:
    """A monthly income on page 1 and, only above 10.000 rupiah, a required reason."""
    return service_def(
        "BANTUAN",
        fields=[
            field_def("income", type="number", page=1),
            field_def("reason", page=reason_page, show_if=RICH),
        ],
        workflow=[step_def("DPMPTSP")],
    )


def start(client):
    client.post("/kiosk/service/BANTUAN/start")
    client.post("/kiosk/apply/identity", data={"nik": NIK, "name": "Siti Aminah", "phone": PHONE})


@pytest.mark.parametrize("reason_page", [1, 2], ids=["same page", "next page"])
def test_an_income_written_12_500_shows_the_field_its_condition_asks_for(
        app, client, session, reason_page):
    make_catalog(session, aid_service(reason_page=reason_page))
    make_kiosk(session)
    enrol(client)
    start(client)
    if reason_page == 1:
        client.post("/kiosk/apply/page/1", data={"income": "12.500", "reason": "Usaha kecil"})
    else:
        client.post("/kiosk/apply/page/1", data={"income": "12.500"})
        second = client.get("/kiosk/apply/page/2").get_data(as_text=True)
        assert 'name="reason"' in second  # 12.500 is twelve thousand five hundred
        client.post("/kiosk/apply/page/2", data={"reason": "Usaha kecil"})
    check = client.get("/kiosk/apply/check").get_data(as_text=True)
    assert "12.500" in check and "Usaha kecil" in check
    assert client.post("/kiosk/apply/submit").headers["Location"].endswith("/kiosk/apply/done")
    request = session.scalar(select(ServiceRequest))
    assert request.answers == {"income": 12500, "reason": "Usaha kecil"}


def test_a_page_opened_again_shows_the_answer_as_the_citizen_wrote_it(
        app, client, session):
    make_catalog(session, aid_service(reason_page=2))
    make_kiosk(session)
    enrol(client)
    start(client)
    client.post("/kiosk/apply/page/1", data={"income": "1.250.000"})
    with client.session_transaction() as saved:
        assert saved["kiosk_draft"]["answers"] == {"income": 1250000}  # kept cleaned
    assert 'value="1.250.000"' in client.get("/kiosk/apply/page/1").get_data(as_text=True)


def test_every_error_on_the_check_page_names_its_field_and_links_to_its_page(
        app, client, session):
    make_catalog(session, aid_service(reason_page=2))
    make_kiosk(session)
    enrol(client)
    start(client)
    client.post("/kiosk/apply/page/1", data={"income": "12.500"})
    client.post("/kiosk/apply/page/2", data={"reason": "Usaha kecil"})
    with client.session_transaction() as saved:  # say the answer was lost on the way
        draft = saved["kiosk_draft"]
        del draft["answers"]["reason"]
        saved["kiosk_draft"] = draft
    response = client.post("/kiosk/apply/submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    row = page[page.index('class="row has-error"'):]
    row = row[:row.index("</div>")]
    assert "<dt>Reason</dt>" in row and "wajib diisi" in row.lower()
    assert "/kiosk/apply/page/2?back=check" in row


@pytest.mark.parametrize(("written", "op", "value", "holds"), [
    ("12.500", "gt", 10000, True),
    ("12,5", "gt", 12, True),
    ("Rp 1.000.000", "gte", 1000000, True),
    ("12.5", "gt", 10, False),  # ambiguous: no number, so nothing is shown for it
    (12500, "eq", 12500, True),
    ("ya", "eq", True, True),
    ("Tidak", "eq", False, True),
    (False, "ne", True, True),
])
def test_a_condition_reads_numbers_and_yes_no_as_the_rest_of_the_system(
        written, op, value, holds):
    from services.conditions import condition_holds

    assert condition_holds({"field": "x", "op": op, "value": value}, {"x": written}) is holds
