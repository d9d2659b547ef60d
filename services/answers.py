"""Answers as people read them back: the citizen on the check page, the clerk on the request
page and the receipt show the same words (choice labels, Ya/Tidak, Rupiah with separators).

Answers travel cleaned (services.validation.clean_answer): numbers are numbers, yes/no are
booleans, dates are ISO days. Reading them back needs no clock and no second parse."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.conditions import NO, YES, as_number, as_yes_no
from services.formatting import rupiah as format_rupiah
from services.models import FieldType, FormField
from services.numbers import format_indonesian_number
from services.validation import FieldDefinition


def display_answer(field: FormField, value: Any, lang: str) -> str:
    """A cleaned answer as the citizen should read it back on the check page."""
    if field.type is FieldType.CHOICE:
        for choice in field.choices:
            if choice["value"] == value:
                return choice["label_en"] if lang == "en" else choice["label_id"]
    if field.type is FieldType.YES_NO:
        yes = as_yes_no(value) is True
        return ("Yes" if yes else "No") if lang == "en" else ("Ya" if yes else "Tidak")
    if field.type in (FieldType.NUMBER, FieldType.RUPIAH):
        number = as_number(value)
        if number is None:
            return str(value)
        if field.type is FieldType.RUPIAH and number == int(number):
            return format_rupiah(int(number))
        return format_indonesian_number(number)
    if field.type is FieldType.DATE:
        return _day_month_year(value)
    return str(value)


def answer_as_typed(field: FieldDefinition, value: Any) -> str:
    """A cleaned answer back in the form's input, as the citizen typed it: "12.500", "ya",
    "05-08-1990"."""
    if value is None:
        return ""
    if field.type is FieldType.YES_NO:
        said = as_yes_no(value)
        return "" if said is None else (YES if said else NO)
    if field.type in (FieldType.NUMBER, FieldType.RUPIAH):
        number = as_number(value)
        return str(value) if number is None else format_indonesian_number(number)
    if field.type is FieldType.DATE:
        return _day_month_year(value)
    return str(value)


def _day_month_year(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
    except ValueError:
        return str(value)
