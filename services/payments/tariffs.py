"""A step's billing rule and the assessment it gives: tariff lines applied to the request's
answers (e.g. PBG: floor area x indices x the standard unit price), each line in whole rupiah,
the total rounded as the regulation says. Exact arithmetic only: quantities and indices are
read as decimals into fractions, rates are integers, and no float is ever computed."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any


class BillKind(enum.Enum):
    SKRD = "skrd"  # Surat Ketetapan Retribusi Daerah: a levy
    SKPD = "skpd"  # Surat Ketetapan Pajak Daerah: a tax


class Rounding(enum.Enum):
    UP = "up"
    DOWN = "down"
    HALF_UP = "half_up"


class OnExpiry(enum.Enum):
    """What an unpaid, expired bill does to its request (a service setting)."""

    CANCEL = "cancel"  # the request is cancelled
    WAIT = "wait"  # the request keeps waiting; the clerk may issue a new bill


class TariffInvalid(ValueError):
    """A billing rule that cannot be applied; the message says what is wrong."""


def exact(value: Any) -> Fraction:
    """A number as typed (int, decimal text, or a float's shortest decimal form) as a fraction."""
    if isinstance(value, bool):
        raise TariffInvalid("a yes/no answer is not a quantity")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Fraction):
        return value
    try:
        text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", ".")
        number = Decimal(text)
    except (InvalidOperation, ValueError) as bad:
        raise TariffInvalid(f"not a number: {value!r}") from bad
    if not number.is_finite():
        raise TariffInvalid(f"not a number: {value!r}")
    return Fraction(number)


def round_rupiah(amount: Fraction, to: int, mode: Rounding) -> int:
    """``amount`` rounded to a multiple of ``to`` rupiah, up, down or half up."""
    if to < 1:
        raise TariffInvalid("rounding unit must be at least 1 rupiah")
    units, rest = divmod(amount, to)
    units = int(units)
    if rest and (mode is Rounding.UP or (mode is Rounding.HALF_UP and 2 * rest >= to)):
        units += 1
    return units * to


def _text(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("id") or "")
    return str(value or "")


@dataclass(frozen=True)
class Factor:
    label_id: str
    label_en: str
    value: str  # an exact decimal, e.g. "0.45"


@dataclass(frozen=True)
class Line:
    """One line of a bill: what is counted, the rate and factors, and the whole-rupiah amount."""

    label_id: str
    label_en: str
    quantity: str  # the figure it applies to, as a decimal text ("750", "0.75")
    unit: str
    rate: int  # rupiah per unit
    factors: tuple[Factor, ...] = ()
    amount: int = 0

    def as_data(self) -> dict[str, Any]:
        return {"label": {"id": self.label_id, "en": self.label_en}, "quantity": self.quantity,
                "unit": self.unit, "rate": self.rate, "amount": self.amount,
                "factors": [{"label": {"id": f.label_id, "en": f.label_en}, "value": f.value}
                            for f in self.factors]}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Line:
        return cls(label_id=_text(data["label"], "id"), label_en=_text(data["label"], "en"),
                   quantity=str(data["quantity"]), unit=str(data.get("unit", "")),
                   rate=int(data["rate"]), amount=int(data["amount"]),
                   factors=tuple(Factor(_text(f["label"], "id"), _text(f["label"], "en"),
                                        str(f["value"])) for f in data.get("factors", [])))

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id


@dataclass(frozen=True)
class Billing:
    """The billing rule of a step that assesses a fee (parsed from the catalog)."""

    kind: BillKind = BillKind.SKRD
    due_days: int = 30
    remind_days: int = 3
    on_expiry: OnExpiry = OnExpiry.WAIT
    round_to: int = 1
    rounding: Rounding = Rounding.HALF_UP
    lines: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)

    @property
    def computed(self) -> bool:
        """Whether the amount comes from tariff lines (else the clerk states it)."""
        return bool(self.lines)


def _whole(value: Any, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise TariffInvalid(f"{name} must be a whole number, at least {low}")
    return value


def parse_billing(data: Mapping[str, Any] | None) -> Billing:
    """The billing rule of a step from its catalog form; raise TariffInvalid when wrong."""
    data = dict(data or {})
    unknown = set(data) - {"kind", "due_days", "remind_days", "on_expiry", "rounding", "lines"}
    if unknown:
        raise TariffInvalid(f"unknown billing keys: {', '.join(sorted(unknown))}")
    rounding = dict(data.get("rounding") or {})
    try:
        kind = BillKind(data.get("kind", "skrd"))
        on_expiry = OnExpiry(data.get("on_expiry", "wait"))
        mode = Rounding(rounding.get("mode", "half_up"))
    except ValueError as bad:
        raise TariffInvalid(str(bad)) from bad
    lines = tuple(data.get("lines") or ())
    for line in lines:
        if not isinstance(line, Mapping) or not line.get("label") or not line.get("of"):
            raise TariffInvalid("each tariff line needs a label and 'of' (the answers it counts)")
        _whole(line.get("rate"), "a line's rate (rupiah)", 0)
        for factor in line.get("factors") or ():
            exact(factor.get("value"))
    return Billing(kind=kind, due_days=_whole(data.get("due_days", 30), "due_days", 1),
                   remind_days=_whole(data.get("remind_days", 3), "remind_days", 0),
                   on_expiry=on_expiry, round_to=_whole(rounding.get("to", 1), "rounding.to", 1),
                   rounding=mode, lines=lines)


def _decimal_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f").rstrip("0")


@dataclass(frozen=True)
class Assessment:
    lines: tuple[Line, ...]
    rounding: int  # the difference the total's rounding adds (may be negative)
    amount: int  # the total to pay, in rupiah


def assess(billing: Billing, answers: Mapping[str, Any]) -> Assessment:
    """Apply the tariff lines to the answers: each line quantity x rate x factors, rounded half
    up to a whole rupiah; the sum rounded as the rule says."""
    lines: list[Line] = []
    for spec in billing.lines:
        of = spec["of"] if isinstance(spec["of"], list) else [spec["of"]]
        quantity = Fraction(1)
        for key in of:
            if key not in answers or answers[key] in (None, ""):
                raise TariffInvalid(f"the answer {key} is missing")
            quantity *= exact(answers[key])
        factors = tuple(Factor(_text(f["label"], "id"), _text(f["label"], "en"), str(f["value"]))
                        for f in spec.get("factors") or ())
        total = quantity * spec["rate"]
        for factor in factors:
            total *= exact(factor.value)
        lines.append(Line(label_id=_text(spec["label"], "id"), label_en=_text(spec["label"], "en"),
                          quantity=_decimal_text(quantity), unit=str(spec.get("unit", "")),
                          rate=int(spec["rate"]), factors=factors,
                          amount=round_rupiah(total, 1, Rounding.HALF_UP)))
    subtotal = sum(line.amount for line in lines)
    amount = round_rupiah(Fraction(subtotal), billing.round_to, billing.rounding)
    return Assessment(lines=tuple(lines), rounding=amount - subtotal, amount=amount)


def stated(amount: int, label_id: str = "Ketetapan petugas",
           label_en: str = "Amount assessed by the officer") -> Assessment:
    """The assessment of a step without tariff lines: one line, the amount the clerk stated."""
    line = Line(label_id=label_id, label_en=label_en, quantity="1", unit="", rate=amount,
                amount=amount)
    return Assessment(lines=(line,), rounding=0, amount=amount)
