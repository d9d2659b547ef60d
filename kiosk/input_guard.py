"""Bad input is refused at the door, with a field error, before any view or database sees it:
oversized bodies (MAX_CONTENT_LENGTH, 413), JSON nested too deep or holding NaN/Infinity,
control characters and lone surrogates in any text (path, query, form, JSON), and ids in URLs
beyond what the database's integer columns hold (404)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from kiosk.errors import json_error, wants_json
from services.text import has_forbidden_character, is_finite_number

MAX_JSON_DEPTH = 32
# The largest id a PostgreSQL integer column holds; a larger one cannot name a row.
MAX_ROW_ID = 2**31 - 1
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")

BAD_CHARACTER = "Contains a character that is not allowed (control character or lone surrogate)."
NOT_FINITE = "Must be a finite number (NaN and infinities are not numbers)."


def json_depth(text: str) -> int:
    """How deeply a JSON text nests arrays and objects (brackets inside strings don't count)."""
    depth = deepest = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing bodies nested deeper than MAX_JSON_DEPTH before parsing them
    (Python's parser would run out of stack and answer 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        text = s.decode(json.detect_encoding(s)) if isinstance(s, bytes) else s
        if json_depth(text) > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
        return super().loads(text, **kwargs)


class BoundedIntegerConverter(IntegerConverter):
    """<int:...> in URLs: a number beyond any row id does not match, so it answers 404."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = None, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=MAX_ROW_ID if max is None else max, signed=signed)


def _json_problems(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if has_forbidden_character(value):
            yield path or "body", BAD_CHARACTER
    elif isinstance(value, float):
        if not is_finite_number(value):
            yield path or "body", NOT_FINITE
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if has_forbidden_character(str(key)):
                yield where, BAD_CHARACTER
            else:
                yield from _json_problems(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_problems(item, f"{path}[{index}]")


def _text_problems() -> dict[str, str]:
    """Every place of the request that holds a character no text input may hold."""
    problems: dict[str, str] = {}
    sources = [("path", request.view_args or {}), ("query", request.args),
               ("form", request.form if request.method in ("POST", "PUT", "PATCH") else {})]
    for source, values in sources:
        items = values.items(multi=True) if hasattr(values, "getlist") else values.items()
        for key, value in items:
            if isinstance(value, str) and (has_forbidden_character(value)
                                           or has_forbidden_character(key)):
                problems[f"{source}:{key}" if source != "form" else key] = BAD_CHARACTER
    if request.is_json and request.content_length != 0:
        body = request.get_json(silent=True)
        problems.update(_json_problems(body, ""))
    return problems


def install_input_guard(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.url_map.converters["int"] = BoundedIntegerConverter

    @app.before_request
    def allow_documents():  # type: ignore[no-untyped-def]
        view = app.view_functions.get(request.endpoint or "")
        if getattr(view, "takes_files", False):
            request.max_content_length = app.config["BERKAS_MAX_UPLOAD"]

    @app.before_request
    def refuse_bad_text():  # type: ignore[no-untyped-def]
        problems = _text_problems()
        if not problems:
            return None
        if wants_json():
            return json_error(422, "Some values are not valid text or numbers.",
                              code="validation_failed", fields=problems)
        message = _("Isian memuat karakter yang tidak diizinkan. Periksa lalu coba lagi.")
        return render_template("errors/error.html", status=400, message=message), 400
