"""Builders for the Open311 and API-key tests: a catalog, a key, a form-encoded submission."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.apikeys import issue_api_key
from services.models import Scope
from tests.builders import NIK, PHONE
from tests.builders.kiosk import make_business_catalog

ALL_SCOPES = [scope.value for scope in Scope]


def make_key(session: Session, *, scopes: list[str] | None = None,
             rate_limit: str = "1000 per minute", name: str = "Aplikasi Warga") -> str:
    issued = issue_api_key(session, name=name, owner_system="Aplikasi Kota",
                           scopes=scopes or ALL_SCOPES, rate_limit=rate_limit, actor=None)
    session.commit()
    return issued.secret


def open311_catalog(session: Session) -> str:
    make_business_catalog(session)
    return make_key(session)


def post_form(api_key: str | None, **changes: Any) -> dict[str, Any]:
    """A GeoReport POST body for IZIN-USAHA: the applicant in the spec's own fields."""
    form = {
        "service_code": "IZIN-USAHA",
        "first_name": "Siti",
        "last_name": "Aminah",
        "phone": PHONE,
        "attribute[applicant_nik]": NIK,
        "attribute[business_name]": "Warung Siti",
        "attribute[sector]": "jasa",
        "attribute[workers]": "2",
        "attribute[has_npwp]": "tidak",
        **changes,
    }
    if api_key is not None:
        form["api_key"] = api_key
    return {name: value for name, value in form.items() if value is not None}
