"""The catalog's services, fields and steps as pydantic models: the YAML import, the admin forms
and the API all validate through them, and each problem's location is pydantic's ``loc`` of the
input it concerns (mapped to ``Problems`` so that callers and messages keep working)."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from services.catalog.requirements import (
    FORMATS,
    MAX_FILES,
    MAX_MB,
    is_plain_wording,
    structured_items,
)
from services.conditions import OPERATORS
from services.models import (
    AgencyKind,
    ClockStart,
    FeeKind,
    FieldType,
    HolidayKind,
    ProductKind,
    RequirementKind,
)
from services.patterns import pattern_refusal
from services.payments.tariffs import TariffInvalid, parse_billing
from services.working_days import WorkWeek

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

Loc = tuple[str | int, ...]
Found = list[tuple[Loc, str]]  # problems a validator found: (location in its model, text)


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


# --- raising problems from validators ---------------------------------------------------------

def refuse(found: Found) -> None:
    """Raise one pydantic error carrying every problem a validator found (none: nothing)."""
    if found:
        raise PydanticCustomError("catalog", "{text}", {
            "text": "; ".join(text for _, text in found), "problems": found})


def one(text: str, *loc: str | int) -> Found:
    return [(loc, text)]


def checked(check: Callable[[Any, str], Found]) -> BeforeValidator:
    """A validator running ``check(value, field name)`` and refusing what it finds."""
    def validate(value: Any, info: ValidationInfo) -> Any:
        refuse(check(value, info.field_name))
        return value
    return BeforeValidator(validate)


def bilingual_problems(value: Any, name: str, required: bool = True,
                       loc: Loc = ()) -> Found:
    """Both texts of a pair; a problem's location is (name, lang), or ``loc`` when given."""
    if value is None and not required:
        return []
    if not isinstance(value, Mapping):
        return one(f"{name} must give both 'id' and 'en' texts", *(loc or (name,)))
    return [(loc or (name, lang), f"{name} is missing its '{lang}' text") for lang in LANGS
            if not isinstance(value.get(lang), str)
            or (required and not value.get(lang).strip())]


def _bilingual_list(value: Any, name: str) -> Found:
    if not isinstance(value, Mapping):
        return one(f"{name} must give 'id' and 'en' lists", name)
    lists = [value.get(lang) for lang in LANGS]
    found = [((name, lang), f"{name} must list at least one '{lang}' item")
             for lang, items in zip(LANGS, lists, strict=True)
             if not isinstance(items, list) or not items
             or not all(isinstance(i, str) for i in items)]
    if all(isinstance(items, list) for items in lists) and len(lists[0]) != len(lists[1]):
        found += one(f"{name} has {len(lists[0])} 'id' items but {len(lists[1])} 'en' items",
                     name, "en")
    return found


def whole(minimum: int) -> Callable[[Any, str], Found]:
    def check(value: Any, name: str) -> Found:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            return one(f"{name} must be a whole number of at least {minimum}", name)
        return []
    return check


def one_of(kinds: type[enum.Enum], ordered: bool = False) -> Callable[[Any, str], Found]:
    allowed = [kind.value for kind in kinds]
    allowed = sorted(allowed) if ordered else allowed

    def check(value: Any, name: str) -> Found:
        return [] if value in allowed else one(f"{name} must be one of {', '.join(allowed)}", name)
    return check


def matching(pattern: re.Pattern[str], text: str) -> Callable[[Any, str], Found]:
    def check(value: Any, name: str) -> Found:
        return [] if isinstance(value, str) and pattern.match(value) else one(text, name)
    return check


def _flag(text: str) -> Callable[[Any, str], Found]:
    def check(value: Any, name: str) -> Found:
        return [] if isinstance(value, bool) else one(text.format(name=name), name)
    return check


def _mapping(text: str, *loc: str) -> Callable[[Any, str], Found]:
    def check(value: Any, name: str) -> Found:
        return [] if value is None or isinstance(value, Mapping) else one(text, *loc)
    return check


# --- the models -------------------------------------------------------------------------------

class Definition(BaseModel):
    """A part of the catalog; keys it does not know are kept as they are."""

    model_config = ConfigDict(extra="allow", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _absent_is_none(cls, data: Any) -> Any:
        """An absent part is refused by its own rule, not as pydantic's "Field required"."""
        if isinstance(data, Mapping):
            data = {**{name: None for name, field in cls.model_fields.items()
                       if field.is_required()}, **data}
        return data


class Bilingual(Definition):
    id: str
    en: str


class BilingualList(Definition):
    id: list[str]
    en: list[str]


def _bilingual(required: bool = True) -> BeforeValidator:
    return checked(lambda value, name: bilingual_problems(value, name, required))


Text = Annotated[Bilingual, _bilingual()]
OptionalText = Annotated[Bilingual | None, _bilingual(required=False)]
TextList = Annotated[BilingualList, checked(_bilingual_list)]
Count = Annotated[int, checked(whole(0))]
Positive = Annotated[int, checked(whole(1))]


def _a_date(value: Any, name: str) -> Found:
    return [] if isinstance(value, date) else one("date must be written YYYY-MM-DD", name)


Day = Annotated[date, checked(_a_date)]


def _a_work_week(value: Any, name: str) -> Found:
    try:
        WorkWeek.parse(value)
    except (ValueError, AttributeError):
        return one(f"{name} must be days like 'mon-fri', 'mon-sat' or 'mon,tue,sat'", name)
    return []


class Decree(Definition):
    """The SK penetapan of a service standard: its number and date."""

    number: Annotated[str, checked(matching(re.compile(r"\S"), "the SK number is empty"))]
    date: Day


class Consultation(Definition):
    """A public consultation on a standard (UU 25/2009 Pasal 20): when, who, what came out."""

    date: Day
    participants: Annotated[str, checked(matching(re.compile(r"\S"), "participants are empty"))]
    summary: Annotated[str, checked(matching(re.compile(r"\S"), "the summary is empty"))]


class Maklumat(Definition):
    """A unit's Maklumat Pelayanan (UU 25/2009 Pasal 22): its promise, signer and date."""

    text: Text
    signer: Annotated[str, checked(matching(re.compile(r"\S"), "the signer is empty"))]
    date: Day


class Condition(Definition):
    """A show_if or a step's condition: compare an earlier answer with a value."""

    field: Any = None
    op: Any = "eq"
    value: Any = None


def _condition_shape(value: Any, name: str) -> Found:
    if value is None or (isinstance(value, Mapping) and "field" in value):
        return []
    return one(f"{name} must be a mapping with field, op and value", name, "field")


AgencyCode = Annotated[str, BeforeValidator(lambda value: value if value is None else str(value))]
ShowIf = Annotated[Condition | None, checked(_condition_shape)]


class Choice(Definition):
    value: Any
    label: Any = None


class AgencyChooser(Definition):
    """A step's agency chosen by the answer to a choice field."""

    field: Any = None
    map: dict[Any, Any]


def _chooser_shape(value: Any, name: str) -> Found:
    if value is None or (isinstance(value, Mapping) and isinstance(value.get("map"), Mapping)):
        return []
    return one("agency_from must have 'field' and a 'map' of answers to agencies",
               "agency_from", "map")


class FieldDef(Definition):
    """One question of a service's form."""

    key: Annotated[str, checked(matching(
        KEY_RE, "key must be lower-case letters, digits and '_', starting with a letter"))]
    type: str
    label: Text
    help: OptionalText = Field(None, validate_default=True)
    required: Annotated[bool, checked(_flag("{name} must be true or false"))] = True
    page: Positive = 1
    constraints: Annotated[dict[str, Any], checked(_mapping("constraints must be a mapping",
                                                            "constraints"))] = {}
    choices: list[Choice] | None = Field(None, validate_default=True)
    show_if: ShowIf = None

    @model_validator(mode="before")
    @classmethod
    def _no_constraints(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not data.get("constraints"):
            data = {**data, "constraints": {}}
        return data

    @field_validator("type", mode="before")
    @classmethod
    def _known_type(cls, value: Any) -> Any:
        types = sorted(kind.value for kind in FieldType)
        if value not in types:
            refuse(one(f"unknown type '{value}' (one of {', '.join(types)})", "type"))
        return value

    @field_validator("constraints")
    @classmethod
    def _constraints_fit(cls, constraints: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        kind = info.data.get("type")
        if kind is not None:
            refuse(constraint_problems(FieldType(kind), constraints))
        return constraints

    @field_validator("choices", mode="before")
    @classmethod
    def _choices_fit(cls, choices: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("type")
        if kind is not None:
            refuse(choice_problems(FieldType(kind), choices))
        return choices


def constraint_problems(kind: FieldType, constraints: Mapping[str, Any]) -> Found:
    found = [((name,), f"constraint '{name}' does not apply to a {kind.value} field")
             for name in sorted(set(constraints) - CONSTRAINTS_BY_TYPE[kind])]
    for low, high in (("min", "max"), ("min_length", "max_length")):
        a, b = constraints.get(low), constraints.get(high)
        for name, value in ((low, a), (high, b)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                found += one(f"constraint '{name}' must be a number", name)
        if isinstance(a, int | float) and isinstance(b, int | float) and a > b:
            found += one(f"constraint '{low}' is greater than '{high}'", low)
    if "landline" in constraints and not isinstance(constraints["landline"], bool):
        found += one("constraint 'landline' must be true or false", "landline")
    if "pattern" in constraints and (refused := pattern_refusal(str(constraints["pattern"]))):
        found += one(f"pattern cannot run with the linear-time engine RE2 ({refused})", "pattern")
    return found


def choice_problems(kind: FieldType, choices: Any) -> Found:
    if kind is not FieldType.CHOICE:
        return one(f"a {kind.value} field has no choices", "choices") if choices else []
    if not isinstance(choices, list) or not choices:
        return one("a choice field needs a non-empty 'choices' list", "choices")
    found: Found = []
    values = []
    for choice in choices:
        if not isinstance(choice, Mapping) or "value" not in choice:
            found += one("each choice needs a value and a label", "choices")
            continue
        values.append(str(choice["value"]))
        found += bilingual_problems(choice.get("label"), f"label of choice {choice['value']}",
                                    loc=("choices",))
    if len(values) != len(set(values)):
        found += one("choice values must be distinct", "choices")
    return found


def _bounded(low: int, high: int) -> Callable[[Any, str], Found]:
    def check(value: Any, name: str) -> Found:
        if value is None:
            return []
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return one(f"{name} must be a whole number from {low} to {high}", name)
        return []
    return check


def _formats(value: Any, name: str) -> Found:
    if value is None:
        return []
    if not isinstance(value, list) or not value or any(item not in FORMATS for item in value):
        return one(f"formats must list one or more of {', '.join(FORMATS)}", name)
    return []


class RequirementDef(Definition):
    """One requirement (persyaratan): its wording, how it is met, whether it is required or
    asked only under a condition, and for a document its formats and limits."""

    key: Annotated[str, checked(matching(
        KEY_RE, "key must be lower-case letters, digits and '_', starting with a letter"))]
    name: Text
    kind: Annotated[str, checked(one_of(RequirementKind))]
    required: Annotated[bool, checked(_flag("{name} must be true or false"))] = True
    show_if: ShowIf = None
    formats: Annotated[list[str] | None, checked(_formats)] = None
    max_mb: Annotated[int | None, checked(_bounded(1, MAX_MB))] = None
    max_files: Annotated[int | None, checked(_bounded(1, MAX_FILES))] = None

    @field_validator("formats", "max_mb", "max_files", mode="after")
    @classmethod
    def _limits_for_documents(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("kind") not in (None, RequirementKind.UPLOAD.value):
            refuse(one(f"{info.field_name} applies only to a requirement of kind upload",
                       info.field_name))
        return value


def _requirements_shape(value: Any, name: str) -> Found:
    """The older plain wording ({"id": [...], "en": [...]}) or a non-empty list of mappings."""
    if is_plain_wording(value):
        return _bilingual_list(value, name)
    if not isinstance(value, list) or not value:
        return one("requirements must list one or more requirements", name)
    return [((name, index), "must be a mapping") for index, item in enumerate(value)
            if not isinstance(item, Mapping)]


def _structured(value: Any, info: ValidationInfo) -> Any:
    refuse(_requirements_shape(value, info.field_name))
    return structured_items(value)


def _billing_problems(value: Any, name: str) -> Found:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        return one("a step's billing must be a mapping", name)
    try:
        parse_billing(value)
    except TariffInvalid as wrong:
        return one(f"billing: {wrong}", name)
    return []
class DecisionFieldDef(Definition):
    """One line of a decision's product facts: its label and where its value comes from (an
    answer of the form, or what the clerk records at approval)."""

    label: str
    answer: str | None = None
    record: str | None = None
    suffix: str = ""

    @model_validator(mode="after")
    def _one_source(self) -> DecisionFieldDef:
        if (self.answer is None) == (self.record is None):
            refuse(one("a decision field takes its value from 'answer' or 'record'", "answer"))
        return self


class DecisionDef(Definition):
    """The decision template of a document product, in Tata Naskah Dinas form: the archive
    classification code of its number, what it is about (TENTANG ...), the considerations
    (menimbang; the service's dasar_hukum is the mengingat), what it decides, and its facts."""

    classification: Annotated[str, checked(matching(
        re.compile(r"^\d{3}(\.\d{1,3})*$"), "classification is an archive code like 503 or 640.1"))]
    about: str
    considering: list[str] = []
    decides: list[str] = []
    fields: list[DecisionFieldDef] = []


class StepDef(Definition):
    """One step of a service's workflow: who handles it, in which stage, within how long."""

    stage: Positive
    name: Text
    sla_days: Count
    agency: AgencyCode | None = None
    agency_from: Annotated[AgencyChooser | None, checked(_chooser_shape)] = None
    condition: ShowIf = None
    forward_to: list[AgencyCode] = []
    marks_complete: Annotated[bool, checked(_flag("a step's {name} must be true or false"))] = False
    assesses_fee: Annotated[bool, checked(_flag("a step's {name} must be true or false"))] = False
    billing: Annotated[dict[str, Any] | None, checked(_billing_problems)] = None
    # A ``sign`` step: the agency's signing official signs the decision (the last stage).
    signs: Annotated[bool, checked(_flag("a step's {name} must be true or false"))] = False
    # Fiktif positif (PP 28/2025): the step is deemed approved when its SLA passes.
    deemed_approval: Annotated[bool, checked(_flag("a step's {name} must be true or false"))] = False

    @model_validator(mode="before")
    @classmethod
    def _no_forwarding(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and data.get("forward_to") is None:
            data = {**data, "forward_to": []}
        return data


def _items_are_mappings(text: str, item: Callable[[str, int], tuple[Loc, str]]
                        ) -> Callable[[Any, str], Found]:
    """A non-empty list of mappings; ``item`` says where and how an item is not one."""
    def check(value: Any, name: str) -> Found:
        if not isinstance(value, list) or not value:
            return one(text, name)
        return [item(name, index) for index, entry in enumerate(value)
                if not isinstance(entry, Mapping)]
    return check


def fee_kind_of(service: Mapping[str, Any]) -> Any:
    """The fee kind a definition declares; an older definition without one is free at 0 and a
    tariff otherwise."""
    if "fee_kind" in service:
        return service["fee_kind"]
    return "free" if service.get("fee", 0) == 0 else "tariff"


class ServiceDef(Definition):
    """A service's whole definition: its Standar Pelayanan, its form and its workflow. Validate
    with ``context={"agencies": ..., "categories": ...}`` (the codes that will exist)."""

    code: Annotated[str, checked(matching(
        CODE_RE, "code must be upper-case letters, digits, '-' or '_' (2-40)"))]
    category: str
    name: Text
    product: Text
    description: OptionalText = None
    complaint_channel: OptionalText = None
    requirements: Annotated[list[RequirementDef], BeforeValidator(_structured)]
    procedure: TextList
    dasar_hukum: TextList
    duration_days: Count
    product_kind: Annotated[str, checked(one_of(ProductKind))]
    external_system: str | None = Field(None, validate_default=True)
    collection: OptionalText = Field(None, validate_default=True)
    facilities: OptionalText = None
    guarantee: OptionalText = None
    competence: OptionalText = None
    supervision: OptionalText = None
    staffing: OptionalText = None
    safety: OptionalText = None
    evaluation: OptionalText = None
    penetapan: Decree | None = None
    consultations: list[Consultation] = []
    fee_kind: Annotated[str, checked(one_of(FeeKind))]
    fee: Count = Field(0, validate_default=True)
    fee_basis: Text
    # The fee is a regional tax (pajak, SKPD) rather than a levy (retribusi, SKRD).
    fee_is_tax: Annotated[bool, checked(_flag("{name} must be true or false"))] = False
    clock_start: Annotated[str, checked(one_of(ClockStart))] = "submission"
    keywords: list[str] = []
    page_titles: dict[int, Bilingual] = {}
    product_validity_days: Annotated[int | None, checked(whole(1))] = None
    retention_years: Annotated[int, checked(_bounded(1, 100))] = 5
    decision: DecisionDef | None = None
    fields: Annotated[list[FieldDef], checked(_items_are_mappings(
        "'fields' must be a non-empty list",
        lambda name, index: ((name,), f"field #{index + 1} must be a mapping")))]
    workflow: Annotated[list[StepDef], checked(_items_are_mappings(
        "'workflow' must list 1 or more steps",
        lambda name, index: ((name, index), "must be a mapping")))]

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """A service is a mapping; its fee kind defaults by its fee."""
        if not isinstance(data, Mapping):
            raise PydanticCustomError("catalog", "must be a mapping")
        data = {**data, "fee_kind": fee_kind_of(data)}
        for name, empty in (("keywords", []), ("page_titles", {}), ("fields", []),
                            ("workflow", [])):
            if data.get(name) is None:
                data[name] = empty
        if data.get("product_validity_days") is None:
            data.pop("product_validity_days", None)
        return data

    @field_validator("category", mode="before")
    @classmethod
    def _known_category(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str) or value not in (info.context or {}).get("categories", ()):
            refuse(one(f"unknown category '{value}'", "category"))
        return value

    @field_validator("external_system", mode="before")
    @classmethod
    def _external_named(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("product_kind") == "external" and not str(value or "").strip():
            refuse(one("an external product names its external_system (SIAK, OSS-RBA, ...)",
                       "external_system"))
        return value if value is None else str(value)

    @field_validator("collection", mode="before")
    @classmethod
    def _collection_said(cls, value: Any, info: ValidationInfo) -> Any:
        required = info.data.get("product_kind") in ("external", "item")
        refuse(bilingual_problems(value, "collection", required))
        return value

    @field_validator("fee", mode="after")
    @classmethod
    def _fee_fits_kind(cls, fee: int, info: ValidationInfo) -> int:
        kind = info.data.get("fee_kind")
        if kind == "tariff" and fee == 0:
            refuse(one("a tariff fee gives its amount in rupiah (more than 0)", "fee"))
        if kind in ("free", "assessed") and fee != 0:
            refuse(one(f"a {kind} fee has no fixed amount: write fee: 0", "fee"))
        return fee

    @field_validator("keywords", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
            refuse(one("keywords must be a list of words", "keywords"))
        return value

    @field_validator("page_titles", mode="before")
    @classmethod
    def _titles(cls, value: Any) -> Any:
        if not isinstance(value, Mapping) or not all(
                isinstance(page, int) and page >= 1 for page in value):
            refuse(one("page_titles maps page numbers to a title in id and en", "page_titles"))
        refuse([problem for page, title in value.items()
                for problem in bilingual_problems(title, f"page_titles.{page}")])
        return value

    @field_validator("fields", mode="after")
    @classmethod
    def _fields_fit_together(cls, fields: list[FieldDef]) -> list[FieldDef]:
        """Keys are distinct and a show-if names only an earlier field."""
        found: Found = []
        earlier: dict[str, FieldDef] = {}
        for index, field in enumerate(fields):
            if field.key in earlier:
                found += one("key appears twice", "fields", index, "key")
            found += [(("fields", index, *loc), text) for loc, text
                      in condition_problems(field.show_if, "show_if", earlier)]
            target = earlier.get(field.show_if.field) if field.show_if else None
            if target is not None and target.page > field.page:
                # The kiosk asks page by page: an answer not yet given cannot show a field.
                found += one(f"show_if refers to '{target.key}', which is asked on a later "
                             "page", "fields", index, "show_if", "field")
            earlier[field.key] = field
        refuse(found)
        return fields

    @field_validator("workflow", mode="after")
    @classmethod
    def _steps_fit(cls, steps: list[StepDef], info: ValidationInfo) -> list[StepDef]:
        """Each step's agency exists, the stages run without gaps, and the steps that assess
        the fee or declare the file complete fit the service."""
        agencies = set((info.context or {}).get("agencies", ()))
        fields = info.data.get("fields")
        found: Found = []
        for index, step in enumerate(steps):
            found += [(("workflow", index, *loc), text)
                      for loc, text in step_problems(step, agencies, fields)]
        stages = sorted({step.stage for step in steps})
        if stages != list(range(1, max(stages) + 1)):
            found += one(f"workflow stages must run 1, 2, 3 ... without gaps; got {stages}",
                         "stage")
        assessing = any(step.assesses_fee for step in steps)
        fee_kind = info.data.get("fee_kind")
        if fee_kind == "assessed" and not assessing:
            found += one("an assessed fee needs a workflow step with assesses_fee: true",
                         "fee_kind")
        if fee_kind not in (None, "assessed") and assessing:
            found += one("assesses_fee applies only to a service whose fee_kind is assessed",
                         "assesses_fee")
        found += billing_fits(steps, fields)
        signing = [step for step in steps if step.signs]
        if signing and info.data.get("product_kind") != "document":
            found += one("a sign step signs a decision: the product_kind must be document",
                         "signs")
        last = [step for step in steps if step.stage == max(stages)]
        if signing and (len(last) > 1 or not last[0].signs or len(signing) > 1
                        or last[0].agency is None):
            found += one("a sign step is the last stage, alone, with a named agency", "signs")
        if info.data.get("clock_start") == "complete_file" and not any(
                step.marks_complete for step in steps):
            found += one("clock_start complete_file needs a step with marks_complete: true",
                         "clock_start")
        refuse(found)
        return steps

    @field_validator("fields", mode="after")
    @classmethod
    def _requirements_fit(cls, fields: list[FieldDef], info: ValidationInfo) -> list[FieldDef]:
        """Requirement keys are distinct and apart from the fields' (a document is named by
        its key among the answers), and a show-if names a field of the form."""
        by_key = {field.key: field for field in fields}
        found: Found = []
        seen: set[str] = set()
        for index, requirement in enumerate(info.data.get("requirements") or []):
            if requirement.key in seen or requirement.key in by_key:
                found += one("key appears twice among the requirements and fields",
                             "requirements", index, "key")
            seen.add(requirement.key)
            found += [(("requirements", index, *loc), text) for loc, text
                      in condition_problems(requirement.show_if, "show_if", by_key)]
        refuse(found)
        return fields


def billing_fits(steps: list[StepDef], fields: list[FieldDef] | None) -> Found:
    """A billing rule sits on a step that assesses the fee, and its tariff lines count number
    answers of the form."""
    numbers = {f.key for f in fields or () if f.type in ("number", "rupiah")}
    found: Found = []
    for index, step in enumerate(steps):
        if not step.billing:
            continue
        if not step.assesses_fee:
            found += one("billing applies only to a step with assesses_fee: true",
                         "workflow", index, "billing")
        for line in step.billing.get("lines") or ():
            keys = line["of"] if isinstance(line["of"], list) else [line["of"]]
            found += [(("workflow", index, "billing"),
                       f"a tariff line counts {key}, which is not a number field")
                      for key in keys if fields is not None and key not in numbers]
    return found


def condition_problems(condition: Condition | None, name: str,
                       fields: Mapping[str, FieldDef]) -> Found:
    """A show_if or step condition names an earlier field and compares it sensibly."""
    if condition is None:
        return []
    target = condition.field
    if target not in fields:
        return one(f"{name} refers to '{target}', which is not an earlier field", name, "field")
    op = condition.op
    if op not in OPERATORS:
        return one(f"{name} has unknown op '{op}' (one of {', '.join(OPERATORS)})", name, "op")
    value = condition.value
    found: Found = []
    if op in ("in", "not_in") and not isinstance(value, list):
        found += one(f"{name} with op '{op}' needs a list value", name, "value")
    if op in ("gt", "gte", "lt", "lte") and (
        isinstance(value, bool) or not isinstance(value, int | float)
    ):
        found += one(f"{name} with op '{op}' needs a number value", name, "value")
    target_field = fields[target]
    if target_field.type == "choice" and op in ("eq", "ne", "in", "not_in"):
        allowed = {str(choice.value) for choice in target_field.choices or []}
        for item in value if isinstance(value, list) else [value]:
            if str(item) not in allowed:
                found += one(f"{name} compares '{target}' with '{item}', not one of its choices",
                             name, "value")
    return found


def step_problems(step: StepDef, agencies: set[str],
                  fields: list[FieldDef] | None) -> Found:
    """A step's agency (named, or chosen by an answer) and its condition; without valid
    ``fields`` only what does not depend on them."""
    by_key = {field.key: field for field in fields} if fields is not None else None
    found: Found = []
    if (step.agency is None) == (step.agency_from is None):
        found += one("give either 'agency' or 'agency_from', not both or neither", "agency")
    elif step.agency is not None and step.agency not in agencies:
        found += one(f"unknown agency '{step.agency}'", "agency")
    elif step.agency_from is not None and by_key is not None:
        found += chooser_problems(step.agency_from, agencies, by_key)
    if by_key is not None:
        found += condition_problems(step.condition, "condition", by_key)
    found += [(("forward_to",), f"forward_to names unknown agency '{target}'")
              for target in step.forward_to if target not in agencies]
    return found


def chooser_problems(chooser: AgencyChooser, agencies: set[str],
                     fields: Mapping[str, FieldDef]) -> Found:
    field = fields.get(chooser.field)
    if field is None:
        return one(f"agency_from refers to unknown field '{chooser.field}'",
                   "agency_from", "field")
    if field.type != "choice":
        return one(f"agency_from field '{chooser.field}' must be a choice field",
                   "agency_from", "field")
    choices = {str(choice.value) for choice in field.choices or []}
    mapped = {str(k) for k in chooser.map}
    found: Found = [(("agency_from", "map"), f"agency_from has no agency for answer '{missing}'")
                    for missing in sorted(choices - mapped)]
    found += [(("agency_from", "map"),
               f"agency_from maps '{extra}', which is not a choice of '{chooser.field}'")
              for extra in sorted(mapped - choices)]
    found += [(("agency_from", "map"), f"agency_from names unknown agency '{value}'")
              for value in chooser.map.values() if value not in agencies]
    if field.required is not True or field.show_if:
        found += one(f"agency_from field '{chooser.field}' must be required and always shown",
                     "agency_from", "field")
    return found


class CategoryDef(Definition):
    code: Annotated[str, checked(matching(
        CATEGORY_RE, "code must be lower-case letters, digits, '-' or '_'"))]
    name: Text


class AgencyDef(Definition):
    code: Annotated[str, checked(matching(
        CODE_RE, "code must be upper-case letters, digits, '-' or '_'"))]
    kind: Annotated[str, checked(one_of(AgencyKind, ordered=True))]
    name: Text
    work_week: Annotated[str, checked(_a_work_week)] | None = None
    counts_cuti_bersama: bool = False
    maklumat: Maklumat | None = None


class HolidayDef(Definition):
    date: Day
    name: Text
    kind: Annotated[str, checked(one_of(HolidayKind))] = "nasional"
    provisional: bool = False


# --- from pydantic's errors to problems --------------------------------------------------------

def _place(document: Any, loc: Loc, source: str) -> tuple[str, tuple[str, ...]]:
    """Where a location is, said as a catalog author reads it ("a.yaml: service SKTM: field
    purpose"), and the rest of the location inside that thing (("label", "en"))."""
    where, node, rest = source, document, list(loc)
    labels = {"services": ("service", "code"), "categories": ("category", "code"),
              "agencies": ("agency", "code"), "holidays": ("holiday", "date"),
              "fields": ("field", "key"), "workflow": ("workflow step", None),
              "requirements": ("requirement", "key")}
    while len(rest) >= 2 and rest[0] in labels and isinstance(rest[1], int):
        label, key = labels[rest[0]]
        items = node.get(rest[0]) if isinstance(node, Mapping) else None
        item = items[rest[1]] if isinstance(items, list) and rest[1] < len(items) else None
        name = item.get(key) if key and isinstance(item, Mapping) else None
        if key is None:
            name = rest[1] + 1
        elif not name and label in ("service", "field"):
            name = f"#{rest[1] + 1}"
        where, node, rest = f"{where}: {label} {name}", item, rest[2:]
    return where, tuple(str(part) for part in rest)


def add_errors(problems: Problems, error: ValidationError, document: Any, source: str,
               base: Loc = ()) -> None:
    """Add each of pydantic's errors as a problem at the place its ``loc`` names."""
    for detail in error.errors():
        loc = (*base, *detail["loc"])
        found = (detail.get("ctx") or {}).get("problems")
        if found is None:
            problems.add(*_said(document, loc, source, detail["msg"]))
            continue
        for inner, text in found:  # located inside the model holding the validated value
            problems.add(*_said(document, (*loc[:-1], *inner), source, text))


def _said(document: Any, loc: Loc, source: str, text: str) -> tuple[str, ...]:
    where, rest = _place(document, loc, source)
    return (where, text, *rest)


def validated(model: type[Definition], value: Any, problems: Problems, document: Any,
              source: str, base: Loc = (), **context: Any) -> Definition | None:
    """The typed definition, or None with its problems added."""
    try:
        return model.model_validate(value, context=context)
    except ValidationError as error:
        add_errors(problems, error, document, source, base)
        return None


def check_service(service: Any, where: str, problems: Problems, agencies: Iterable[str],
                  categories: Iterable[str]) -> ServiceDef | None:
    """Check one service definition against the agencies and categories that will exist;
    return it typed when it is valid."""
    return validated(ServiceDef, service, problems, service, where,
                     agencies=set(agencies), categories=set(categories))


def check_catalog(document: Any, source: str, known_agencies: Iterable[str] = frozenset(),
                  known_categories: Iterable[str] = frozenset()) -> list[str]:
    """Return every problem in a catalog document; an empty list means it may be imported."""
    problems = Problems()
    if not isinstance(document, Mapping):
        problems.add(source, "the file must hold a mapping with agencies, services, ...")
        return problems.messages
    for key in sorted(set(document) - {"categories", "agencies", "holidays", "services"}):
        problems.add(source, f"unknown section '{key}'")
    codes: dict[str, set[Any]] = {}
    for section, model in (("categories", CategoryDef), ("agencies", AgencyDef),
                           ("holidays", HolidayDef)):
        items = document.get(section, [])
        if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
            problems.add(source, f"'{section}' must be a list of mappings")
            items = []
        for index, item in enumerate(items):
            validated(model, item, problems, document, source, (section, index))
        codes[section] = [item.get("code") for item in items]
    for index, code in enumerate(codes["agencies"]):
        if code in codes["agencies"][:index]:
            problems.add(f"{source}: agency {code}", "appears twice")
    services = document.get("services", [])
    if not isinstance(services, list):
        problems.add(source, "'services' must be a list")
        return problems.messages
    agencies = {code for code in codes["agencies"] if isinstance(code, str)} | set(known_agencies)
    categories = ({code for code in codes["categories"] if isinstance(code, str)}
                  | set(known_categories))
    seen: set[Any] = set()
    for index, service in enumerate(services):
        code = service.get("code") if isinstance(service, Mapping) else None
        if code in seen:
            problems.add(_place(document, ("services", index), source)[0], "appears twice")
        seen.add(code)
        validated(ServiceDef, service, problems, document, source, ("services", index),
                  agencies=agencies, categories=categories)
    return problems.messages
