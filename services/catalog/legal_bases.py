"""Regulations a catalog must no longer cite: a table of repealed instruments and what replaced
them, read by a test over the demo catalog and by the administrators' dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models import Service, ServiceVersion

# "PP 5/2021", "UU No. 36 Tahun 2009", "Peraturan Pemerintah Nomor 5 Tahun 2021",
# "Government Regulation 5/2021", "Law 36/2009".
_KINDS = {
    "uu": "UU", "undang-undang": "UU", "law": "UU",
    "pp": "PP", "peraturan pemerintah": "PP", "government regulation": "PP",
    "perpres": "Perpres", "peraturan presiden": "Perpres", "presidential regulation": "Perpres",
    "inpres": "Inpres", "presidential instruction": "Inpres",
    "permenkes": "Permenkes", "permendagri": "Permendagri", "permenpanrb": "PermenPANRB",
}
_CITATION = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in _KINDS), key=len, reverse=True)) + r")"
    r"\s*(?:no\.?|nomor|number)?\s*(\d{1,4})\s*(?:/|tahun|of)\s*(\d{4})\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Repeal:
    replaced_by: str
    source: str


# Repealed instrument -> what replaced it, and the instrument whose closing provisions
# (ketentuan penutup) repeal it.
REPEALED: dict[str, Repeal] = {
    "PP 24/2018": Repeal("PP 28/2025", "PP 5/2021, itself repealed by PP 28/2025"),
    "PP 5/2021": Repeal("PP 28/2025", "PP 28/2025, in force 5 June 2025"),
    "UU 36/2009": Repeal("UU 17/2023", "UU 17/2023 tentang Kesehatan Pasal 454"),
    "UU 36/2014": Repeal("UU 17/2023", "UU 17/2023 tentang Kesehatan Pasal 454"),
    "UU 38/2014": Repeal("UU 17/2023", "UU 17/2023 tentang Kesehatan Pasal 454"),
    "UU 4/2019": Repeal("UU 17/2023", "UU 17/2023 tentang Kesehatan Pasal 454"),
    "UU 29/2004": Repeal("UU 17/2023", "UU 17/2023 tentang Kesehatan Pasal 454"),
    "UU 44/2009": Repeal("UU 17/2023", "UU 17/2023 tentang Kesehatan Pasal 454"),
    "UU 28/2009": Repeal("UU 1/2022", "UU 1/2022 tentang HKPD"),
    "PP 36/2005": Repeal("PP 16/2021", "PP 16/2021 tentang Bangunan Gedung"),
}


def citations(text: str) -> list[str]:
    """The regulations a text cites, each as "PP 5/2021"."""
    return [f"{_KINDS[kind.lower()]} {int(number)}/{year}"
            for kind, number, year in _CITATION.findall(text)]


def repealed_citations(texts: Iterable[str]) -> list[tuple[str, Repeal]]:
    """Each repealed regulation the texts cite, once, in order, with its replacement."""
    found: dict[str, Repeal] = {}
    for text in texts:
        for cited in citations(text):
            if cited in REPEALED and cited not in found:
                found[cited] = REPEALED[cited]
    return list(found.items())


def service_texts(version: ServiceVersion) -> list[str]:
    """The texts of a version that may cite a regulation."""
    return [*version.legal_basis_id, *version.legal_basis_en, version.fee_basis_id,
            version.fee_basis_en, *version.requirements_id, *version.requirements_en,
            *version.procedure_id, *version.procedure_en, version.description_id,
            version.description_en]


def services_citing_repealed(session: Session) -> list[tuple[str, list[tuple[str, Repeal]]]]:
    """Active services whose current version cites a repealed regulation (for the admin)."""
    rows = session.scalars(select(Service).where(Service.active.is_(True))
                           .order_by(Service.code)).all()
    return [(service.code, found) for service in rows if service.current_version is not None
            and (found := repealed_citations(service_texts(service.current_version)))]
