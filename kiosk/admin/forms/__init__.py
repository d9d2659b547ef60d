"""The administrators' forms, one module per area (agencies, holidays, users, the catalog,
webhooks); each turns its input into what one use case takes. Here: what they share."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def options(pairs) -> list[SelectChoice]:  # type: ignore[no-untyped-def]
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def text(field) -> str:  # type: ignore[no-untyped-def]
    return (field.data or "").strip()


def lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def bilingual(form: FlaskForm, stem: str) -> dict[str, str]:
    return {lang: (getattr(form, f"{stem}_{lang}").data or "").strip() for lang in ("id", "en")}
