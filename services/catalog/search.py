"""Finding a service the way citizens ask for it: by its name, its description, or the other
words people use (the catalog's ``keywords``: IMB for PBG, e-KTP for KTP-el, miskin for SKTM),
ignoring case, accents and hyphens. One function for the kiosk search and the API."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from services.models import Service, ServiceVersion

_WORD = re.compile(r"[0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case without accents, every run of other characters one space: "É-KTP" -> "e ktp"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_WORD.findall(plain))


def _contains(haystack: str, words: list[str]) -> bool:
    compact = haystack.replace(" ", "")
    return all(word in haystack or word.replace(" ", "") in compact for word in words)


def match_rank(version: ServiceVersion, code: str, query: str) -> int | None:
    """How well a service matches, best first: 0 the name or code holds the query, 1 a keyword
    is the query, 2 a keyword holds it, 3 the description or product does; None for no match.
    Every word of the query must be found ("e-KTP" is tried as "e ktp" and as "ektp")."""
    cleaned = normalise(query)
    if not cleaned:
        return None
    keywords = [normalise(word) for word in version.keywords]
    names = normalise(" | ".join([version.name_id, version.name_en, code]))
    rest = normalise(" | ".join([version.description_id, version.description_en,
                                 version.product_id, version.product_en]))
    compact = cleaned.replace(" ", "")
    tiers = [
        _contains(names, [cleaned]),
        any(compact == word.replace(" ", "") for word in keywords),
        _contains(" | ".join(keywords), [cleaned]),
        _contains(" | ".join([names, *keywords, rest]), cleaned.split()),
    ]
    return next((rank for rank, hit in enumerate(tiers) if hit), None)


def search_services(services: Iterable[Service], query: str) -> Sequence[Service]:
    """The services matching ``query``, names and keywords first, in their given order."""
    ranked = []
    for position, service in enumerate(services):
        version = service.current_version
        if version is None:
            continue
        rank = match_rank(version, service.code, query)
        if rank is not None:
            ranked.append((rank, position, service))
    return [service for _rank, _position, service in sorted(ranked, key=lambda r: r[:2])]
