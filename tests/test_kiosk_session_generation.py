"""A copied kiosk session cookie cannot replay the last citizen: "Selesai" and every wipe
start a new session generation kept on the server (issue 28, item 9)."""

from __future__ import annotations

import pytest

from tests.test_anjungan import enrolled, fill_in, kiosk  # noqa: F401 - the fixtures

COOKIE = "session"


def copied_cookie(client) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def replay(client, value: str) -> None:
    client.set_cookie(COOKIE, value)


@pytest.mark.parametrize("leave", ["/kiosk/finish", "/kiosk/wipe"])
def test_a_copied_cookie_does_not_reopen_the_receipt_after_the_citizen_leaves(
        enrolled, session, leave):  # noqa: F811
    fill_in(enrolled)
    enrolled.get("/kiosk/apply/check")
    enrolled.post("/kiosk/apply/submit")
    done = enrolled.get("/kiosk/apply/done")
    assert done.status_code == 200
    copy = copied_cookie(enrolled)
    assert enrolled.post(leave).status_code == 302  # "Selesai", or the idle timer's wipe
    replay(enrolled, copy)
    again = enrolled.get("/kiosk/apply/done")
    assert again.status_code == 302 and again.headers["Location"].endswith("/kiosk/")


def test_a_copied_cookie_does_not_bring_back_a_draft_after_the_idle_wipe(enrolled, app):  # noqa: F811
    fill_in(enrolled)
    copy = copied_cookie(enrolled)
    with enrolled.session_transaction() as saved:
        saved["kiosk_seen"] -= app.config["IDLE_TIMEOUT_SECONDS"] + 1
    assert enrolled.get("/kiosk/apply/check").status_code == 302  # wiped on the server
    replay(enrolled, copy)
    assert enrolled.get("/kiosk/apply/check").status_code == 302


def test_the_kiosks_own_session_goes_on_after_selesai(enrolled):  # noqa: F811
    fill_in(enrolled)
    enrolled.post("/kiosk/finish")
    fill_in(enrolled)  # the next citizen starts afresh on the same screen
    assert enrolled.get("/kiosk/apply/check").status_code == 200
