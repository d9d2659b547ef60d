"""The whole service standard of UU 25/2009 Pasal 21: its fourteen components split as
PermenPANRB 15/2014 splits them, the public ones on /layanan, the SK penetapan and public
consultations, the Maklumat Pelayanan, and the city rule that refuses publishing without them."""

from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from services.catalog.standard import (
    Group,
    all_components,
    maklumat_units,
    missing_components,
    product_kind_text,
    standard_components,
)
from services.catalog.transfer import import_catalog
from services.catalog.versions import publish_draft, start_draft
from services.errors import ValidationFailed
from services.models import ProductKind, Service, ServiceVersion
from tests.builders import make_catalog, service_def

DEMO = Path(__file__).resolve().parent.parent / "demo" / "kota_contoh.yaml"
PASAL_21 = ["dasar_hukum", "persyaratan", "prosedur", "jangka_waktu", "biaya", "produk",
            "sarana", "kompetensi", "pengawasan", "pengaduan", "jumlah_pelaksana", "jaminan",
            "keamanan", "evaluasi"]


def full_version() -> ServiceVersion:
    texts = {f"{name}_{lang}": f"{name} {lang}"
             for name in ("facilities", "guarantee", "competence", "supervision", "staffing",
                          "safety", "evaluation", "complaint_channel", "product", "collection",
                          "fee_basis", "name", "description")
             for lang in ("id", "en")}
    return ServiceVersion(requirements_id=["KTP"], requirements_en=["ID"], procedure_id=["Isi"],
                          procedure_en=["Fill"], legal_basis_id=["UU 25/2009"],
                          legal_basis_en=["Law 25/2009"], duration_days=3, fee=0,
                          product_kind=ProductKind.DOCUMENT, external_system="", **texts)


def test_every_component_of_pasal_21_is_there_in_the_order_of_the_law():
    parts = all_components(full_version(), "id")
    assert [part.key for part in parts] == PASAL_21
    delivery = [p.key for p in parts if p.group is Group.DELIVERY]
    assert delivery == ["persyaratan", "prosedur", "jangka_waktu", "biaya", "produk",
                        "pengaduan"]
    assert missing_components(full_version()) == []


def test_the_public_see_delivery_the_basis_and_the_promises_not_the_internal_management():
    shown = [part.key for part in standard_components(full_version(), "id")]
    assert shown == ["dasar_hukum", "persyaratan", "prosedur", "jangka_waktu", "biaya",
                     "produk", "sarana", "pengaduan", "jaminan", "keamanan"]
    empty = full_version()
    empty.safety_id = ""
    assert "keamanan" not in [part.key for part in standard_components(empty, "id")]
    assert missing_components(empty) == ["keamanan"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_document_is_issued_by_the_official_never_by_the_system(lang):
    version = full_version()
    words = product_kind_text(version, lang)
    assert "e-Kiosk" not in words
    assert "pejabat" in words if lang == "id" else "official" in words


def consulted(**extra):
    return service_def("PBG", penetapan={"number": "Keputusan Kepala DPMPTSP 12/2026",
                                         "date": date(2026, 1, 15)},
                       consultations=[{"date": date(2025, 12, 10), "participants": "Warga",
                                       "summary": "Setuju"}], **extra)


def test_a_city_that_asks_for_it_publishes_no_version_without_its_sk_and_consultation(session):
    make_catalog(session, service_def("PBG"))
    start_draft(session, "PBG", actor=None)
    with pytest.raises(ValidationFailed) as refused:
        publish_draft(session, "PBG", actor=None, needs_decree=True)
    assert refused.value.message.code == "service.needs_decree"
    assert publish_draft(session, "PBG", actor=None).number == 2  # the rule is off by default


def test_the_sk_and_consultations_travel_with_the_version(session):
    (service,) = make_catalog(session, consulted())
    version = service.current_version
    assert (version.decree_number, version.decree_date) == ("Keputusan Kepala DPMPTSP 12/2026",
                                                            date(2026, 1, 15))
    assert version.consultations == [{"date": "2025-12-10", "participants": "Warga",
                                      "summary": "Setuju"}]
    start_draft(session, "PBG", actor=None)
    assert publish_draft(session, "PBG", actor=None, needs_decree=True).consultations


def test_the_demo_pbg_and_its_unit_carry_the_whole_standard(session):
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    import_catalog(session, document, "kota_contoh.yaml")
    version = session.scalar(select(Service).where(Service.code == "PBG")).current_version
    assert missing_components(version) == []
    assert version.decree_number and version.consultations
    assert [unit.code for unit in maklumat_units(version)] == ["DPMPTSP"]
