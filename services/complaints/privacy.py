"""Who may know who complained: the citizen's privacy choice, decided here and nowhere else.

UU 25/2009 Pasal 50 obliges the government to protect the complainant's identity; a
confidential complainant is known only to the complaints coordinator, an anonymous one to
nobody (the tracking code and PIN are the only link)."""

from __future__ import annotations

import enum
import re

from services.models import Complaint, Privacy
from services.privacy import mask_personal_data


class Audience(enum.Enum):
    COORDINATOR = "coordinator"  # the city's SP4N-LAPOR! admin
    AGENCY = "agency"  # anyone at an agency, including the one complained about
    PUBLIC = "public"  # the public board, the API, anyone without sign-in


def identity_visible(privacy: Privacy, audience: Audience) -> bool:
    """Whether this audience may know the complainant's name and contact."""
    if privacy is Privacy.ANONYMOUS:
        return False
    if audience is Audience.COORDINATOR:
        return True
    return audience is Audience.AGENCY and privacy is Privacy.PUBLIC


def initials(name: str) -> str:
    """Siti Aminah -> S. A."""
    return " ".join(f"{word[0].upper()}." for word in name.split() if word[:1].isalpha())


def complainant_label(complaint: Complaint, audience: Audience) -> str | Privacy:
    """How this audience names the complainant: their name or initials, or the privacy
    choice that hides them (the web layer names it, "Rahasia" or "Anonim")."""
    if complaint.privacy is Privacy.ANONYMOUS or not complaint.complainant_name:
        return Privacy.ANONYMOUS
    if identity_visible(complaint.privacy, audience):
        return complaint.complainant_name
    if complaint.privacy is Privacy.CONFIDENTIAL:
        return Privacy.CONFIDENTIAL
    return initials(complaint.complainant_name)


def contact_phone(complaint: Complaint, audience: Audience) -> str:
    """The phone number this audience may use to reach the complainant ('' if none)."""
    if identity_visible(complaint.privacy, audience):
        return complaint.complainant_phone or ""
    return ""


def redact(text: str, complaint: Complaint) -> str:
    """Text fit for an audience that may not know the complainant: anything shaped like a
    NIK or phone number, the complainant's own NIK and phone, and the words of their name
    (as initials) are taken out."""
    result = text
    for secret in (complaint.complainant_nik, complaint.complainant_phone):
        if secret:
            result = result.replace(secret, "[...]")
    name = (complaint.complainant_name or "").strip()
    if name:
        result = re.sub(re.escape(name), initials(name), result, flags=re.IGNORECASE)
        for word in name.split():
            if len(word) >= 3:
                result = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", f"{word[0].upper()}.",
                                result, flags=re.IGNORECASE)
    return mask_personal_data(result)


def text_for(complaint: Complaint, text: str, audience: Audience) -> str:
    """``text`` as this audience may read it."""
    if audience is Audience.COORDINATOR:
        return text
    if audience is Audience.AGENCY and complaint.privacy is Privacy.PUBLIC:
        return text
    return redact(text, complaint)
