"""Who may know who complained: the citizen's privacy choice, decided here and nowhere else.

UU 25/2009 Pasal 50 obliges the government to protect the complainant's identity; a
confidential complainant is known only to the complaints coordinator, an anonymous one to
nobody (the tracking code and PIN are the only link)."""

from __future__ import annotations

import enum
import re

from services.models import Complaint, Privacy
from services.privacy import find_personal_numbers, replace_numbers


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


REDACTED = "[...]"
# Words that are capitalised in a complaint without naming a person: places, offices, titles.
NOT_NAMES = frozenset((
    "jalan", "jl", "gang", "gg", "rt", "rw", "kota", "kabupaten", "kecamatan", "kelurahan",
    "desa", "dusun", "kampung", "perumahan", "blok", "dinas", "badan", "kantor", "puskesmas",
    "pustu", "posyandu", "rumah", "sakit", "rs", "rsud", "klinik", "apotek", "sekolah", "sd",
    "smp", "sma", "smk", "mts", "madrasah", "pasar", "terminal", "stasiun", "masjid", "gereja",
    "pura", "vihara", "balai", "mal", "pelayanan", "publik", "umum", "daerah", "negeri",
    "kesehatan", "sosial", "pendidikan", "perhubungan", "lingkungan", "hidup", "pekerjaan",
    "ruang", "satpol", "pp", "pln", "pdam", "bpjs", "ktp", "kk", "nik", "sim", "stnk", "senin",
    "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "januari", "februari", "maret",
    "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember",
    "saya", "kami", "kita", "mereka", "dia", "bapak", "ibu", "pak", "bu", "yang", "dan", "atau",
    "di", "ke", "dari", "pada", "untuk", "tolong", "mohon", "terima", "kasih", "sudah", "belum",
    "tidak", "sangat", "sejak", "setiap", "selama", "karena", "apakah", "bagaimana", "kapan",
))
_NAME_CUE = re.compile(
    r"(?i:\b(?:nama\s+saya|saya|atas\s+nama|a\.\s?n\.|bapak|ibu|pak|bu|sdr|sdri|saudara|"
    r"saudari|mas|mbak|kak|adik|anak\s+saya|suami\s+saya|istri\s+saya)\.?)\s+"
    r"(?P<name>[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)*)")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)+")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_LONG_NUMBER = re.compile(r"\d(?:[ .\-/()]{0,3}\d){7,}")
MIN_NAME_WORD = 3
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)\Z")
_ADJACENT_REDACTIONS = re.compile(r"\[\.\.\.\](?:[ \-.]{1,3}\[\.\.\.\])+")


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", name) if len(w) >= MIN_NAME_WORD]


def redact(text: str, complaint: Complaint) -> str:
    """Text fit for an audience that may not know the complainant. Taken out: anything shaped
    like a NIK or mobile number and the complainant's own NIK and phone, however written (any
    mix of spaces, dots, dashes, brackets, a +62/62/0 prefix), and the complainant's name in
    any case, whole or word by word, with no initials left in its place."""
    own = [v for v in (complaint.complainant_nik, complaint.complainant_phone) if v]
    result = replace_numbers(text, find_personal_numbers(text, own), lambda _number: REDACTED)
    words = _name_words(complaint.complainant_name or "")
    if words:
        whole = r"[\W_]*".join(re.escape(w) for w in words)
        result = re.sub(rf"(?<!\w){whole}(?!\w)", REDACTED, result, flags=re.IGNORECASE)
        for word in sorted(words, key=len, reverse=True):
            result = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", REDACTED, result,
                            flags=re.IGNORECASE)
    return _ADJACENT_REDACTIONS.sub(REDACTED, result)


def personal_data_suspects(text: str) -> list[str]:
    """What in ``text`` looks like a personal name, a NIK, a phone number or an email address
    that no stored value could match (an anonymous complainant's own name, a neighbour's
    number): the coordinator is shown these to redact by hand before forwarding or
    publishing. A hint, not a guarantee: it errs on the side of showing too much."""
    found: list[str] = []
    found += [m.group() for m in _LONG_NUMBER.finditer(text)]
    found += [m.group() for m in _EMAIL.finditer(text)]
    found += [m.group("name") for m in _NAME_CUE.finditer(text)]
    for run in _CAPITALISED_RUN.finditer(text):
        names = run.group().split()
        if _SENTENCE_START.search(text, 0, run.start()):
            names = names[1:]  # "Kemarin Rudi Hartono": the sentence's first word is no name
        if names and not any(w.lower() in NOT_NAMES for w in names):
            found.append(" ".join(names))
    return list(dict.fromkeys(f.strip() for f in found if f.strip()))


def text_for(complaint: Complaint, text: str, audience: Audience) -> str:
    """``text`` as this audience may read it."""
    if audience is Audience.COORDINATOR:
        return text
    if audience is Audience.AGENCY and complaint.privacy is Privacy.PUBLIC:
        return text
    return redact(text, complaint)
