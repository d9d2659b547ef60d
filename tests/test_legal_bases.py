"""The demo catalog cites no repealed regulation; the table of repeals reads citations however
they are written, and the admin dashboard warns of a service that still cites one."""

from pathlib import Path

import pytest
import yaml

from services.catalog.legal_bases import REPEALED, citations, repealed_citations
from tests.builders import make_catalog, service_def

DEMO = Path(__file__).resolve().parent.parent / "demo" / "kota_contoh.yaml"


def texts_of(node):
    """Every string of a catalog document (its YAML comments are not part of it)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from texts_of(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts_of(value)


@pytest.mark.parametrize(("text", "cited"), [
    ("PP 5/2021 tentang Perizinan Berusaha", ["PP 5/2021"]),
    ("Peraturan Pemerintah Nomor 28 Tahun 2025", ["PP 28/2025"]),
    ("UU No. 36 Tahun 2009 jo. UU 17/2023", ["UU 36/2009", "UU 17/2023"]),
    ("Government Regulation 5/2021 and Law 1/2022", ["PP 5/2021", "UU 1/2022"]),
    ("Inpres 4/2025 tentang DTSEN", ["Inpres 4/2025"]),
    ("Perda Kota Contoh 1/2024", []),
])
def test_citations_are_read_however_they_are_written(text, cited):
    assert citations(text) == cited


def test_a_repealed_regulation_is_named_with_its_replacement():
    found = repealed_citations(["Dasar: PP 5/2021", "Law 36/2014 on Health Workers", "PP 5/2021"])
    assert [(cited, repeal.replaced_by) for cited, repeal in found] == [
        ("PP 5/2021", "PP 28/2025"), ("UU 36/2014", "UU 17/2023")]


def test_the_demo_catalog_cites_no_repealed_regulation():
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    cited = sorted({c for text in texts_of(document) for c in citations(text)})
    assert "UU 1/2022" in cited and "PP 28/2025" in cited  # the test reads real citations
    assert repealed_citations(texts_of(document)) == [], cited
    assert set(REPEALED).isdisjoint(cited)


def test_the_dashboard_warns_of_a_service_citing_a_repealed_regulation(admin_client,
                                                                       app_session):
    make_catalog(app_session, service_def("NIB", dasar_hukum={
        "id": ["PP 5/2021 tentang Perizinan Berusaha Berbasis Risiko"],
        "en": ["Government Regulation 5/2021"]}))
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "NIB" in page and "PP 5/2021" in page and "PP 28/2025" in page
