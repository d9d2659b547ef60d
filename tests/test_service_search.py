"""Finding services as citizens ask for them: names, descriptions and the catalog's keywords,
ignoring case, accents and hyphens; the kiosk search and the API give the same answer."""

from __future__ import annotations

import pytest

from services.catalog.queries import active_services
from services.catalog.search import normalise
from services.demo import load_demo


@pytest.mark.parametrize(("text", "normalised"), [
    ("É-KTP", "e ktp"), ("Kartu  Keluarga", "kartu keluarga"), ("PBG/IMB", "pbg imb"),
    ("Akta Kelahiran (Anak)", "akta kelahiran anak"),
])
def test_text_is_compared_without_case_accents_or_punctuation(text, normalised):
    assert normalise(text) == normalised


SEARCHES = [
    ("IMB", "PBG"),
    ("imb", "PBG"),
    ("e-KTP", "KTP-EL-GANTI"),
    ("ektp", "KTP-EL-GANTI"),
    ("E-ktp", "KTP-EL-GANTI"),
    ("miskin", "SKTM"),
    ("ktp hilang", "KTP-EL-GANTI"),
    ("rumah", "PBG"),
    ("Kartu Keluarga", "KK-PERUBAHAN"),
    ("bérkas akta kelahiran", None),  # every word must be found
    ("akta kelahiran", "AKTA-KELAHIRAN"),
    ("baliho", "IZIN-REKLAME"),
]


def test_the_search_finds_services_by_name_description_and_keywords(session):
    load_demo(session)  # once for the whole table: loading the demo is the slow part
    session.commit()
    found = {query: [s.code for s in active_services(session, search=query)][:1]
             for query, _first in SEARCHES}
    assert found == {query: [first] if first else [] for query, first in SEARCHES}


def test_the_description_matches_after_the_names(session):
    load_demo(session)
    session.commit()
    found = [s.code for s in active_services(session, search="rumah")]
    assert found[0] == "PBG" and len(found) > 1


def test_the_api_and_the_kiosk_search_alike(client, app_session):
    from tests.builders.kiosk import enrol, make_kiosk

    load_demo(app_session)
    make_kiosk(app_session)
    body = client.get("/api/v1/services?q=IMB").get_json()
    assert [s["code"] for s in body["services"]][0] == "PBG"
    assert body["services"][0]["fee_kind"] == "assessed"
    enrol(client)
    page = client.get("/kiosk/?q=e-KTP").get_data(as_text=True)
    assert "Penggantian KTP-el" in page
