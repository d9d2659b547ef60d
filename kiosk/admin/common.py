"""What every admin page shares: putting a use case's errors beside the form's inputs."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from kiosk.messages import field_messages, say
from services.errors import ValidationFailed


def show_errors(form: FlaskForm, error: ValidationFailed) -> list[str]:
    """Put each field's message beside its input (the unit of work rolled the change back);
    return the other problems."""
    placed = set()
    for name, message in field_messages(error.fields).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
            placed.add(message)
    problems = [p for p in getattr(error, "problems", []) if not any(p.endswith(m) for m in placed)]
    flash(_("Perubahan belum disimpan. Periksa isian yang ditandai."), "error")
    if not error.fields and not problems:
        problems = [say(error.message)]
    return problems
