"""The server-side idle backstop: a screen's polls are no sign of a citizen, so a receipt
screen left polling its print state is still wiped after the idle timeout (issue 28, item 11)."""

from __future__ import annotations

from kiosk.anjungan import PASSIVE_ENDPOINTS
from tests.test_complaint_followup import city, file_at_kiosk  # noqa: F401 - the fixture


def test_every_state_poll_of_the_kiosk_is_passive(app):
    polls = {rule.endpoint for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("anjungan.") and rule.endpoint.endswith("_state")}
    assert "anjungan.complaint_print_state" in polls
    assert polls <= PASSIVE_ENDPOINTS


def test_polling_the_complaint_receipts_print_state_does_not_keep_its_pin_served(client, city,  # noqa: F811
                                                                               app):
    file_at_kiosk(client)
    timeout = app.config["IDLE_TIMEOUT_SECONDS"]
    with client.session_transaction() as saved:
        saved["kiosk_seen"] -= timeout - 2  # the citizen left a while ago
        seen = saved["kiosk_seen"]
    for _ in range(3):  # the receipt screen polls every 3 s
        assert client.get("/kiosk/pengaduan/cetak").status_code == 200
    with client.session_transaction() as saved:
        assert saved["kiosk_seen"] == seen
        saved["kiosk_seen"] -= 3  # the timeout passes, with polls all along
    done = client.get("/kiosk/pengaduan/selesai")
    assert done.status_code == 302 and done.headers["Location"].endswith("/kiosk/")
