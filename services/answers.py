"""Answers as people read them back: the citizen on the check page, the clerk on the request
page and the receipt show the same words (choice labels, Ya/Tidak, Rupiah with separators)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.formatting import rupiah as format_rupiah
from services.models import FieldType, FormField
from services.validation import FieldInvalid, clean_answer

YES = "ya"


def display_answer(field: FormField, raw: Any, lang: str) -> str:
    """An answer as the citizen should read it back on the check page."""
    if field.type is FieldType.CHOICE:
        for choice in field.choices:
            if choice["value"] == raw:
                return choice["label_en"] if lang == "en" else choice["label_id"]
    if field.type is FieldType.YES_NO:
        yes = str(raw).lower() in (YES, "yes", "true", "1")
        return ("Yes" if yes else "No") if lang == "en" else ("Ya" if yes else "Tidak")
    if field.type is FieldType.RUPIAH:
        try:
            return format_rupiah(clean_answer(field, raw, today=date.today()))
        except FieldInvalid:
            return str(raw)
    return str(raw)
