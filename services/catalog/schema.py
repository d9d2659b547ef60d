"""Check a catalog document (as loaded from YAML) and say precisely what is wrong with it."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.conditions import OPERATORS
from services.models import AgencyKind, ClockStart, FeeKind, FieldType, ProductKind

LANGS = ("id", "en")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,39}$")
CATEGORY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

CONSTRAINTS_BY_TYPE: dict[FieldType, set[str]] = {
    FieldType.TEXT: {"min_length", "max_length", "pattern"},
    FieldType.LONG_TEXT: {"min_length", "max_length"},
    FieldType.ADDRESS: {"min_length", "max_length"},
    FieldType.NUMBER: {"min", "max", "integer"},
    FieldType.RUPIAH: {"min", "max"},
    FieldType.DATE: {"not_future", "not_past"},
    FieldType.CHOICE: set(),
    FieldType.YES_NO: set(),
    FieldType.NIK: set(),
    FieldType.PHONE: {"landline"},
    FieldType.EMAIL: set(),
}


@dataclass(frozen=True)
class Problem:
    """One problem: where in the document (e.g. "service SKTM: field purpose"), the location
    inside that thing (``loc``, e.g. ("name", "en"), ("show_if", "field")) and what is wrong."""

    where: str
    loc: tuple[str, ...]
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


class Problems:
    """Collects problems, each with where it was found and the location it concerns."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, where: str, problem: str, *loc: str) -> None:
        self.found.append(Problem(where, loc, problem))

    @property
    def messages(self) -> list[str]:
        return [str(problem) for problem in self.found]


def check_catalog(document: Any, source: str, known_agencies: set[str] = frozenset(),
                  known_categories: set[str] = frozenset()) -> list[str]:
    """Return every problem in a catalog document; an empty list means it may be imported."""
    problems = Problems()
    if not isinstance(document, Mapping):
        problems.add(source, "the file must hold a mapping with agencies, services, ...")
        return problems.messages
    unknown = set(document) - {"categories", "agencies", "holidays", "services"}
    for key in sorted(unknown):
        problems.add(source, f"unknown section '{key}'")
    categories = _check_categories(document.get("categories", []), source, problems)
    agencies = _check_agencies(document.get("agencies", []), source, problems)
    _check_holidays(document.get("holidays", []), source, problems)
    services = document.get("services", [])
    if not isinstance(services, list):
        problems.add(source, "'services' must be a list")
        return problems.messages
    seen: set[str] = set()
    for index, service in enumerate(services):
        code = service.get("code") if isinstance(service, Mapping) else None
        where = f"{source}: service {code or '#' + str(index + 1)}"
        if code in seen:
            problems.add(where, "appears twice")
        seen.add(code)
        check_service(service, where, problems, agencies | set(known_agencies),
                      categories | set(known_categories))
    return problems.messages


def _items(value: Any, section: str, source: str, problems: Problems) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        problems.add(source, f"'{section}' must be a list of mappings")
        return []
    return value


def _check_categories(value: Any, source: str, problems: Problems) -> set[str]:
    codes: set[str] = set()
    for item in _items(value, "categories", source, problems):
        code = item.get("code")
        where = f"{source}: category {code}"
        if not isinstance(code, str) or not CATEGORY_RE.match(code):
            problems.add(where, "code must be lower-case letters, digits, '-' or '_'", "code")
        _check_bilingual(item.get("name"), "name", where, problems)
        codes.add(code)
    return codes


def _check_agencies(value: Any, source: str, problems: Problems) -> set[str]:
    codes: set[str] = set()
    kinds = {kind.value for kind in AgencyKind}
    for item in _items(value, "agencies", source, problems):
        code = item.get("code")
        where = f"{source}: agency {code}"
        if not isinstance(code, str) or not CODE_RE.match(code):
            problems.add(where, "code must be upper-case letters, digits, '-' or '_'", "code")
        if code in codes:
            problems.add(where, "appears twice")
        if item.get("kind") not in kinds:
            problems.add(where, f"kind must be one of {', '.join(sorted(kinds))}", "kind")
        _check_bilingual(item.get("name"), "name", where, problems)
        codes.add(code)
    return codes


def _check_holidays(value: Any, source: str, problems: Problems) -> None:
    for item in _items(value, "holidays", source, problems):
        where = f"{source}: holiday {item.get('date')}"
        if not isinstance(item.get("date"), date):
            problems.add(where, "date must be written YYYY-MM-DD", "date")
        _check_bilingual(item.get("name"), "name", where, problems)


def check_service(service: Any, where: str, problems: Problems, agencies: set[str],
                  categories: set[str]) -> None:
    """Check one service definition against the agencies and categories that will exist."""
    if not isinstance(service, Mapping):
        problems.add(where, "must be a mapping")
        return
    code = service.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        problems.add(where, "code must be upper-case letters, digits, '-' or '_' (2-40)", "code")
    if service.get("category") not in categories:
        problems.add(where, f"unknown category '{service.get('category')}'", "category")
    for name in ("name", "product"):
        _check_bilingual(service.get(name), name, where, problems)
    for name in ("description", "complaint_channel"):
        _check_bilingual(service.get(name), name, where, problems, required=False)
    for name in ("requirements", "procedure", "dasar_hukum"):
        _check_bilingual_list(service.get(name), name, where, problems)
    _check_int(service.get("duration_days"), "duration_days", where, problems, minimum=0)
    _check_standard(service, where, problems)
    if service.get("product_validity_days") is not None:
        _check_int(service["product_validity_days"], "product_validity_days", where, problems,
                   minimum=1)
    fields = service.get("fields", [])
    if not isinstance(fields, list) or not fields:
        problems.add(where, "'fields' must be a non-empty list", "fields")
        fields = []
    answered = _check_fields(fields, where, problems)
    steps = service.get("workflow", [])
    if not isinstance(steps, list) or not steps:
        problems.add(where, "'workflow' must list 1 or more steps", "workflow")
        steps = []
    _check_steps(steps, where, problems, agencies, answered)
    _check_step_roles(service, steps, where, problems)


def _one_of(value: Any, name: str, kinds: type[enum.Enum], where: str, problems: Problems) -> bool:
    allowed = [kind.value for kind in kinds]
    if value not in allowed:
        problems.add(where, f"{name} must be one of {', '.join(allowed)}", name)
        return False
    return True


def fee_kind_of(service: Mapping[str, Any]) -> Any:
    """The fee kind a definition declares; an older definition without one is free at 0 and a
    tariff otherwise."""
    if "fee_kind" in service:
        return service["fee_kind"]
    return "free" if service.get("fee", 0) == 0 else "tariff"


def _check_standard(service: Mapping[str, Any], where: str, problems: Problems) -> None:
    """The product, the fee and the other published parts of the Standar Pelayanan."""
    product_kind = service.get("product_kind")
    if _one_of(product_kind, "product_kind", ProductKind, where, problems):
        if product_kind == "external" and not str(service.get("external_system") or "").strip():
            problems.add(where, "an external product names its external_system (SIAK, OSS-RBA, ...)",
                         "external_system")
        if product_kind in ("external", "item"):
            _check_bilingual(service.get("collection"), "collection", where, problems)
    for name in ("collection", "facilities", "guarantee"):
        _check_bilingual(service.get(name), name, where, problems, required=False)
    fee_kind = fee_kind_of(service)
    _one_of(fee_kind, "fee_kind", FeeKind, where, problems)
    fee = service.get("fee", 0)
    if _check_int(fee, "fee", where, problems, minimum=0):
        if fee_kind == "tariff" and fee == 0:
            problems.add(where, "a tariff fee gives its amount in rupiah (more than 0)", "fee")
        if fee_kind in ("free", "assessed") and fee != 0:
            problems.add(where, f"a {fee_kind} fee has no fixed amount: write fee: 0", "fee")
    _check_bilingual(service.get("fee_basis"), "fee_basis", where, problems)
    _one_of(service.get("clock_start", "submission"), "clock_start", ClockStart, where, problems)
    keywords = service.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip()
                                                 for k in keywords):
        problems.add(where, "keywords must be a list of words", "keywords")
    titles = service.get("page_titles", {})
    if not isinstance(titles, Mapping) or not all(
            isinstance(page, int) and page >= 1 for page in titles):
        problems.add(where, "page_titles maps page numbers to a title in id and en", "page_titles")
    else:
        for page, title in titles.items():
            _check_bilingual(title, f"page_titles.{page}", where, problems)


def _check_step_roles(service: Mapping[str, Any], steps: list[Any], where: str,
                      problems: Problems) -> None:
    """Which step assesses the fee and which declares the file complete."""
    mappings = [step for step in steps if isinstance(step, Mapping)]
    for flag in ("marks_complete", "assesses_fee"):
        if any(not isinstance(step.get(flag, False), bool) for step in mappings):
            problems.add(where, f"a step's {flag} must be true or false", flag)
    assessing = [step for step in mappings if step.get("assesses_fee") is True]
    if fee_kind_of(service) == "assessed" and not assessing:
        problems.add(where, "an assessed fee needs a workflow step with assesses_fee: true",
                     "fee_kind")
    if fee_kind_of(service) != "assessed" and assessing:
        problems.add(where, "assesses_fee applies only to a service whose fee_kind is assessed",
                     "assesses_fee")
    if service.get("clock_start") == "complete_file" and not any(
            step.get("marks_complete") is True for step in mappings):
        problems.add(where, "clock_start complete_file needs a step with marks_complete: true",
                     "clock_start")


def _check_fields(fields: list[Any], where: str, problems: Problems) -> dict[str, Mapping]:
    """Check fields in order; return them by key (a show-if may name only earlier ones)."""
    earlier: dict[str, Mapping[str, Any]] = {}
    types = {kind.value for kind in FieldType}
    for index, field in enumerate(fields):
        if not isinstance(field, Mapping):
            problems.add(where, f"field #{index + 1} must be a mapping", "fields")
            continue
        key = field.get("key")
        at = f"{where}: field {key or '#' + str(index + 1)}"
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.add(at, "key must be lower-case letters, digits and '_', starting with a letter",
                         "key")
        if key in earlier:
            problems.add(at, "key appears twice", "key")
        kind = field.get("type")
        if kind not in types:
            problems.add(at, f"unknown type '{kind}' (one of {', '.join(sorted(types))})", "type")
        _check_bilingual(field.get("label"), "label", at, problems)
        _check_bilingual(field.get("help"), "help", at, problems, required=False)
        if not isinstance(field.get("required", True), bool):
            problems.add(at, "required must be true or false", "required")
        _check_int(field.get("page", 1), "page", at, problems, minimum=1)
        if kind in types:
            _check_constraints(FieldType(kind), field, at, problems)
        _check_condition(field.get("show_if"), "show_if", at, problems, earlier)
        earlier[key] = field
    return earlier


def _check_constraints(kind: FieldType, field: Mapping[str, Any], at: str,
                       problems: Problems) -> None:
    constraints = field.get("constraints") or {}
    if not isinstance(constraints, Mapping):
        problems.add(at, "constraints must be a mapping", "constraints")
        return
    for name in sorted(set(constraints) - CONSTRAINTS_BY_TYPE[kind]):
        problems.add(at, f"constraint '{name}' does not apply to a {kind.value} field", name)
    for low, high in (("min", "max"), ("min_length", "max_length")):
        a, b = constraints.get(low), constraints.get(high)
        for name, value in ((low, a), (high, b)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                problems.add(at, f"constraint '{name}' must be a number", name)
        if isinstance(a, int | float) and isinstance(b, int | float) and a > b:
            problems.add(at, f"constraint '{low}' is greater than '{high}'", low)
    if "landline" in constraints and not isinstance(constraints["landline"], bool):
        problems.add(at, "constraint 'landline' must be true or false", "landline")
    if "pattern" in constraints:
        try:
            re.compile(str(constraints["pattern"]))
        except re.error as error:
            problems.add(at, f"pattern is not a valid regular expression ({error})", "pattern")
    choices = field.get("choices")
    if kind is FieldType.CHOICE:
        if not isinstance(choices, list) or not choices:
            problems.add(at, "a choice field needs a non-empty 'choices' list", "choices")
            return
        values = []
        for choice in choices:
            if not isinstance(choice, Mapping) or "value" not in choice:
                problems.add(at, "each choice needs a value and a label", "choices")
                continue
            values.append(str(choice["value"]))
            _check_bilingual(choice.get("label"), f"label of choice {choice['value']}", at,
                             problems, loc=("choices",))
        if len(values) != len(set(values)):
            problems.add(at, "choice values must be distinct", "choices")
    elif choices:
        problems.add(at, f"a {kind.value} field has no choices", "choices")


def _check_condition(condition: Any, name: str, at: str, problems: Problems,
                     fields: Mapping[str, Mapping[str, Any]]) -> None:
    if condition is None:
        return
    if not isinstance(condition, Mapping) or "field" not in condition:
        problems.add(at, f"{name} must be a mapping with field, op and value", name, "field")
        return
    target = condition["field"]
    if target not in fields:
        problems.add(at, f"{name} refers to '{target}', which is not an earlier field", name,
                     "field")
        return
    op = condition.get("op", "eq")
    if op not in OPERATORS:
        problems.add(at, f"{name} has unknown op '{op}' (one of {', '.join(OPERATORS)})", name,
                     "op")
        return
    value = condition.get("value")
    if op in ("in", "not_in") and not isinstance(value, list):
        problems.add(at, f"{name} with op '{op}' needs a list value", name, "value")
    if op in ("gt", "gte", "lt", "lte") and (
        isinstance(value, bool) or not isinstance(value, int | float)
    ):
        problems.add(at, f"{name} with op '{op}' needs a number value", name, "value")
    target_field = fields[target]
    if target_field.get("type") == "choice" and op in ("eq", "ne", "in", "not_in"):
        allowed = {str(c.get("value")) for c in target_field.get("choices") or []
                   if isinstance(c, Mapping)}
        values = value if isinstance(value, list) else [value]
        for item in values:
            if str(item) not in allowed:
                problems.add(at, f"{name} compares '{target}' with '{item}', not one of its choices",
                             name, "value")


def _check_steps(steps: list[Any], where: str, problems: Problems, agencies: set[str],
                 fields: Mapping[str, Mapping[str, Any]]) -> None:
    stages: set[int] = set()
    for index, step in enumerate(steps):
        at = f"{where}: workflow step {index + 1}"
        if not isinstance(step, Mapping):
            problems.add(at, "must be a mapping", "workflow")
            continue
        stage = step.get("stage")
        if _check_int(stage, "stage", at, problems, minimum=1):
            stages.add(stage)
        _check_bilingual(step.get("name"), "name", at, problems)
        _check_int(step.get("sla_days"), "sla_days", at, problems, minimum=0)
        agency, chooser = step.get("agency"), step.get("agency_from")
        if (agency is None) == (chooser is None):
            problems.add(at, "give either 'agency' or 'agency_from', not both or neither", "agency")
        elif agency is not None and agency not in agencies:
            problems.add(at, f"unknown agency '{agency}'", "agency")
        elif chooser is not None:
            _check_agency_chooser(chooser, at, problems, agencies, fields)
        _check_condition(step.get("condition"), "condition", at, problems, fields)
        for target in step.get("forward_to") or []:
            if target not in agencies:
                problems.add(at, f"forward_to names unknown agency '{target}'", "forward_to")
    if stages and sorted(stages) != list(range(1, max(stages) + 1)):
        problems.add(where, f"workflow stages must run 1, 2, 3 ... without gaps; got {sorted(stages)}",
                     "stage")


def _check_agency_chooser(chooser: Any, at: str, problems: Problems, agencies: set[str],
                          fields: Mapping[str, Mapping[str, Any]]) -> None:
    if not isinstance(chooser, Mapping) or not isinstance(chooser.get("map"), Mapping):
        problems.add(at, "agency_from must have 'field' and a 'map' of answers to agencies",
                     "agency_from", "map")
        return
    field = fields.get(chooser.get("field"))
    if field is None:
        problems.add(at, f"agency_from refers to unknown field '{chooser.get('field')}'",
                     "agency_from", "field")
        return
    if field.get("type") != "choice":
        problems.add(at, f"agency_from field '{chooser['field']}' must be a choice field",
                     "agency_from", "field")
        return
    choices = {str(c.get("value")) for c in field.get("choices") or [] if isinstance(c, Mapping)}
    mapped = {str(k) for k in chooser["map"]}
    for missing in sorted(choices - mapped):
        problems.add(at, f"agency_from has no agency for answer '{missing}'", "agency_from", "map")
    for extra in sorted(mapped - choices):
        problems.add(at, f"agency_from maps '{extra}', which is not a choice of '{chooser['field']}'",
                     "agency_from", "map")
    for value in chooser["map"].values():
        if value not in agencies:
            problems.add(at, f"agency_from names unknown agency '{value}'", "agency_from", "map")
    if field.get("required", True) is not True or field.get("show_if"):
        problems.add(at, f"agency_from field '{chooser['field']}' must be required and always shown",
                     "agency_from", "field")


def _check_bilingual(value: Any, name: str, where: str, problems: Problems,
                     required: bool = True, loc: tuple[str, ...] = ()) -> None:
    """Both texts of a pair; a problem's location is (name, lang), or ``loc`` when given."""
    if value is None and not required:
        return
    if not isinstance(value, Mapping):
        problems.add(where, f"{name} must give both 'id' and 'en' texts", *(loc or (name,)))
        return
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or (required and not text.strip()):
            problems.add(where, f"{name} is missing its '{lang}' text", *(loc or (name, lang)))


def _check_bilingual_list(value: Any, name: str, where: str, problems: Problems) -> None:
    if not isinstance(value, Mapping):
        problems.add(where, f"{name} must give 'id' and 'en' lists", name)
        return
    lists = [value.get(lang) for lang in LANGS]
    for lang, items in zip(LANGS, lists, strict=True):
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            problems.add(where, f"{name} must list at least one '{lang}' item", name, lang)
    if all(isinstance(items, list) for items in lists) and len(lists[0]) != len(lists[1]):
        problems.add(where, f"{name} has {len(lists[0])} 'id' items but {len(lists[1])} 'en' items",
                     name, "en")


def _check_int(value: Any, name: str, where: str, problems: Problems, minimum: int) -> bool:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problems.add(where, f"{name} must be a whole number of at least {minimum}", name)
        return False
    return True
