"""One translation pipeline: every domain message code has Indonesian and English words, every
code the code base raises has words, and the English catalogue is complete and compiled."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from kiosk.messages import MESSAGES, field_messages, say
from services.errors import Message, ValidationFailed
from tests.admin_support import admin_client  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "kiosk" / "translations" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
# Names whose first argument is a message code (DomainError and its kinds, Message itself).
RAISERS = {"DomainError", "NotFound", "ValidationFailed", "InvalidTransition", "Conflict",
           "NotAllowed", "Unauthenticated", "LookupRefused", "CodeLocked", "Message", "message"}
# Names whose first argument is a key of a "field.<key>" message.
FIELD_KEYS = {"FieldInvalid", "field_message", "NumberUnreadable"}


def english() -> dict[tuple[str, str | None], str]:
    with (CATALOGUE / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="en")
    return {(m.id, m.context): m.string for m in catalog if m.id and not m.fuzzy}


def test_every_message_code_has_indonesian_and_english_words_with_the_same_values():
    translated = english()
    for code, text in MESSAGES.items():
        indonesian = text._args[0]  # the msgid, as pybabel extracts it
        assert indonesian.strip(), code
        assert translated.get((indonesian, None)), f"{code}: no English for {indonesian!r}"
        assert set(PLACEHOLDER.findall(indonesian)) == \
            set(PLACEHOLDER.findall(translated[(indonesian, None)])), code


def test_every_text_pybabel_extracts_has_english():
    """Templates and the web layer included: `make translations` leaves nothing untranslated."""
    translated = english()
    extracted = {
        (message if isinstance(message, str) else message[0], context)
        for _, _, message, _, context in extract_from_dir(
            str(ROOT), method_map=[("kiosk/**.py", "python"), ("templates/**.html", "jinja2")],
            keywords={"_": None, "_l": None, "gettext": None, "pgettext": ((1, "c"), 2),
                      "lazy_gettext": None, "ngettext": (1, 2)})
    }
    missing = sorted(str(key) for key in extracted if not translated.get(key))
    assert missing == []


def test_the_compiled_catalogue_matches_its_source():
    with (CATALOGUE / "messages.mo").open("rb") as mo:
        compiled = {(m.id, m.context): m.string for m in read_mo(mo) if m.id}
    assert compiled == english()


def _codes_in(path: Path) -> list[tuple[int, str]]:
    """(line, code) for every message code written in a module: a domain error's or a
    Message's first argument, a ``fields={...}`` value, a field message's key, an
    ``errors[...] = "..."`` value, and in services/ every code-shaped text."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    prefixes = {code.split(".")[0] for code in MESSAGES}
    in_services = path.parts[-len(path.relative_to(ROOT).parts)] == "services"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            first = node.args[0] if node.args else None
            if name in RAISERS and isinstance(first, ast.JoinedStr) and any(
                    " " in str(part.value) for part in first.values
                    if isinstance(part, ast.Constant)):
                found.append((node.lineno, "<prose in an f-string>"))
            if name in RAISERS and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.append((node.lineno, first.value))
            if name in FIELD_KEYS and isinstance(first, ast.Constant):
                found.append((node.lineno, f"field.{first.value}"))
            for keyword in node.keywords if name in RAISERS else ():
                if keyword.arg == "fields" and isinstance(keyword.value, ast.Dict):
                    found += [(node.lineno, v.value) for v in keyword.value.values
                              if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript) \
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) \
                and CODE.match(node.value.value):
            found.append((node.lineno, node.value.value))
        elif in_services and isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and CODE.match(node.value) and node.value.split(".")[0] in prefixes:
            found.append((node.lineno, node.value))
    return found


def test_every_message_code_raised_has_words():
    modules = [*sorted((ROOT / "services").rglob("*.py")), *sorted((ROOT / "kiosk").rglob("*.py"))]
    modules = [path for path in modules if "models" not in path.parts]  # foreign keys "agency.id"
    unknown = [f"{path.relative_to(ROOT)}:{line}: {code}" for path in modules
               for line, code in _codes_in(path) if code not in MESSAGES]
    assert unknown == []


@pytest.mark.parametrize(("language", "expected"), [
    ("id", "Maksimal 1.000."), ("en", "At most 1000."),
])
def test_a_message_is_worded_at_the_edge_in_the_asked_language(app, language, expected):
    error = ValidationFailed("answers.need_fixing",
                             fields={"workers": Message("field.max", {"limit": 1000})})
    with app.test_request_context():
        assert field_messages(error.fields, language) == {"workers": expected}
        assert say(error.message, language) in ("Beberapa isian perlu diperbaiki.",
                                                "Some answers need fixing.")


@pytest.mark.parametrize(("headers", "query", "expected"), [
    ({}, "", "No active service NOPE."),
    ({"Accept-Language": "id"}, "", "Tidak ada layanan aktif NOPE."),
    ({}, "?lang=id", "Tidak ada layanan aktif NOPE."),
    ({"Accept-Language": "en"}, "", "No active service NOPE."),
])
def test_the_api_words_an_error_in_the_language_asked_else_in_english(client, headers, query,
                                                                       expected):
    answer = client.get(f"/api/v1/services/NOPE{query}", headers=headers)
    assert answer.status_code == 404
    assert answer.get_json()["error"] == {"code": "not_found", "message": expected, "fields": {}}


@pytest.mark.parametrize(("query", "expected"), [
    ("", "Pengguna tidak ditemukan."), ("?lang=en", "No such user."),
])
def test_a_page_words_a_domain_error_in_the_visitors_language(admin_client, query,  # noqa: F811
                                                              expected):
    page = admin_client.get(f"/admin/users/99999/edit{query}")
    assert page.status_code == 404 and expected in page.get_data(as_text=True)
