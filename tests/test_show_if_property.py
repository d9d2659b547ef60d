"""A property: over the demo catalog's services, with show-if conditions generated on top, and
any answers a citizen may write, the kiosk's pages, the check page and submit_request agree on
which fields are shown and which are required (services.validation.is_shown decides for all)."""

from __future__ import annotations

import dataclasses
import string
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from kiosk.anjungan.forms import build_page_form, form_pages
from kiosk.anjungan.views import answer_rows
from services.catalog.cache import FieldRule, published_catalog
from services.catalog.transfer import import_catalog, read_catalog_file
from services.codes import PinKeyring
from services.demo import DEMO_CATALOG
from services.errors import ValidationFailed
from services.models import Channel, FieldType, FormField, Service
from services.numbers import format_indonesian_number
from services.submission import Applicant, Submission, submit_request
from services.validation import shown_answers, visible_fields
from tests.builders import NIK, PHONE

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
PINS = PinKeyring.from_secrets("test-pin-key")
COLUMNS = ("key", "type", "label_id", "label_en", "help_id", "help_en", "required",
           "constraints", "choices", "page", "show_if")


@pytest.fixture
def demo_forms(app, session):
    """Each demo service's code and its form, as detached copies a test may change."""
    import_catalog(session, read_catalog_file(DEMO_CATALOG), DEMO_CATALOG.name)
    session.flush()
    forms = {}
    for service in session.scalars(select(Service).order_by(Service.code)):
        fields = [FormField(**{c: getattr(f, c) for c in COLUMNS})
                  for f in service.current_version.fields]
        forms[service.code] = fields
    return forms


class ConditionedCatalog:
    """The published catalog, with a service's form replaced by the generated one."""

    def __init__(self, fields: list[FormField]) -> None:
        self.rules = tuple(FieldRule(f.key, f.type, f.required, dict(f.constraints or {}),
                                     tuple(f.choices or ()), f.show_if) for f in fields)

    def for_submission(self, session, code):
        found = published_catalog.for_submission(session, code)
        return dataclasses.replace(
            found, version=dataclasses.replace(found.version, fields=self.rules))


def numbers_for(field):
    limits = field.constraints or {}
    low, high = limits.get("min", 0), limits.get("max", 10**9)
    whole = field.type is FieldType.RUPIAH or limits.get("integer")
    if whole:
        return st.integers(int(low) if low == int(low) else int(low) + 1, int(high))
    return st.one_of(st.integers(int(low) + 1, int(high)),
                     st.decimals(low, high, places=2, allow_nan=False, allow_infinity=False))


def written(field, careful):
    """What a citizen may type for a field: right, blank, or (unless careful) wrong."""
    limits = field.constraints or {}
    kind = field.type
    if kind in (FieldType.NUMBER, FieldType.RUPIAH):
        prefix = st.sampled_from(["Rp ", ""]) if kind is FieldType.RUPIAH else st.just("")
        right = st.builds(lambda p, n, grouped: p + (format_indonesian_number(n) if grouped
                                                     else str(n).replace(".", ",")),
                          prefix, numbers_for(field), st.booleans())
        wrong = st.sampled_from(["12.5", "dua", "1.2.3"])
    elif kind is FieldType.YES_NO:
        right, wrong = st.sampled_from(["ya", "tidak"]), st.just("mungkin")
    elif kind is FieldType.CHOICE:
        right, wrong = st.sampled_from([c["value"] for c in field.choices]), st.just("lain")
    elif kind is FieldType.DATE:
        if limits.get("not_past"):
            days = st.integers(0, 300)
        elif limits.get("not_future"):
            days = st.integers(-30000, 0)
        else:
            days = st.integers(-30000, 300)
        right = days.map(lambda d: (TODAY + timedelta(days=d)).strftime("%d-%m-%Y"))
        wrong = st.just("31-02-2020")
    elif kind is FieldType.NIK:
        right, wrong = st.just(NIK), st.just("123")
    elif kind is FieldType.PHONE:
        right, wrong = st.just(PHONE), st.just("12")
    elif kind is FieldType.EMAIL:
        right, wrong = st.just("siti@contoh.go.id"), st.just("siti@")
    elif "pattern" in limits:
        right = st.from_regex(limits["pattern"].replace("[0-9]", "[0-9]"), fullmatch=True) \
            .filter(lambda t: t.isascii() and t.strip() == t)
        wrong = st.just("x")
    else:
        shortest, longest = limits.get("min_length", 1), min(limits.get("max_length", 40), 40)
        right = st.text(alphabet=string.ascii_letters, min_size=shortest,
                        max_size=max(shortest, longest))
        wrong = st.just("x" * (limits.get("max_length", 1000) + 1))
    if careful:  # right, or left blank where it may be
        return right if field.required else st.one_of(right, st.just(""))
    return st.one_of(right, right, right, right, st.just(""), wrong)


@st.composite
def conditions_on(draw, field, earlier):
    """A show-if on an earlier field (on an earlier page, or before it on the same page)."""
    targets = [f for f in earlier if f.page <= field.page]
    if not targets or draw(st.integers(0, 2)) == 0:
        return field.show_if if draw(st.booleans()) else None
    target = draw(st.sampled_from(targets))
    kind = target.type
    if kind in (FieldType.NUMBER, FieldType.RUPIAH):
        op = draw(st.sampled_from(["gt", "gte", "lt", "lte", "eq", "ne"]))
        return {"field": target.key, "op": op, "value": draw(numbers_for(target).map(
            lambda n: int(n) if n == int(n) else float(n)))}
    if kind is FieldType.YES_NO:
        return {"field": target.key, "op": draw(st.sampled_from(["eq", "ne"])),
                "value": draw(st.booleans())}
    if kind is FieldType.CHOICE:
        values = [c["value"] for c in target.choices]
        if draw(st.booleans()):
            return {"field": target.key, "op": draw(st.sampled_from(["in", "not_in"])),
                    "value": draw(st.lists(st.sampled_from(values), min_size=1, unique=True))}
        return {"field": target.key, "op": draw(st.sampled_from(["eq", "ne"])),
                "value": draw(st.sampled_from(values))}
    return {"field": target.key, "op": "ne", "value": "x"}  # shown once it is answered


@st.composite
def forms_and_answers(draw, forms):
    code = draw(st.sampled_from(sorted(forms)))
    fields = []
    for field in forms[code]:
        copy = FormField(**{c: getattr(field, c) for c in COLUMNS})
        copy.show_if = draw(conditions_on(copy, fields))
        fields.append(copy)
    careful = draw(st.booleans())
    return code, fields, {f.key: draw(written(f, careful)) for f in fields}


def page_data(field, text):
    if field.type is FieldType.DATE:
        parts = text.split("-") if text else ["", "", ""]
        return {f"{field.key}-{part}": value
                for part, value in zip(("day", "month", "year"), parts, strict=True)}
    return {field.key: text}


def through_the_kiosk(fields, typed):
    """Each page in turn, as the browser posts it; the draft, the fields each page asked for,
    and the first page's errors that keep the citizen there (None when every page passed)."""
    draft, asked = {}, set()
    for number in form_pages(fields):
        form_class = build_page_form(fields, number, "id", earlier_answers=draft, today=TODAY)
        shown_on_page = [f for f in form_class.catalog_fields
                         if form_class(formdata=MultiDict()).display_mode(f) != "hidden"]
        data = {}
        for field in shown_on_page:
            data.update(page_data(field, typed[field.key]))
        form = form_class(formdata=MultiDict(data))
        passed = form.validate()
        asked |= {f.key for f in form.catalog_fields
                  if not getattr(form[f.key], "hidden_by_condition", False)
                  and form.display_mode(f) != "hidden"}
        if not passed:
            return draft, asked, {key for key in form.errors if key != "csrf_token"}
        for key, value in form.visible_answers().items():
            if value is None:
                draft.pop(key, None)
            else:
                draft[key] = value
    return draft, asked, None


def submitted(session, code, fields, answers):
    submission = Submission(service_code=code, applicant=Applicant(NIK, "Siti Aminah", PHONE),
                            answers=answers, channel=Channel.KIOSK)
    with session.begin_nested() as attempt:
        try:
            result = submit_request(session, submission, pins=PINS, now=NOW,
                                    catalog=ConditionedCatalog(fields))
        except ValidationFailed as invalid:
            attempt.rollback()
            return set(invalid.fields), None
        answers = dict(result.request.answers)
        attempt.rollback()
    return set(), answers


def test_kiosk_pages_check_page_and_submission_agree_on_shown_and_required(app, session,
                                                                         demo_forms):
    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(forms_and_answers(demo_forms))
    def agree(drawn):
        code, fields, typed = drawn
        with app.test_request_context("/kiosk/apply/page/1", method="POST"):
            draft, asked, stuck = through_the_kiosk(fields, typed)
            rows = answer_rows(fields, draft, "id", {})
        api_errors, api_answers = submitted(session, code, fields, typed)
        event("held on a page" if stuck is not None else "submitted")
        event(f"{sum(1 for f in fields if f.show_if)} conditions")
        if stuck is not None:
            # The page the citizen is held on names what the use case refuses too.
            assert stuck <= api_errors, (stuck, api_errors)
            return
        # Every page passed: what the pages asked is what the check page and the use case show.
        assert asked == {f.key for f in visible_fields(fields, draft)}
        assert [row["field"].key for row in rows] == [f.key for f in fields if f.key in draft]
        assert shown_answers(fields, draft) == draft
        kiosk_errors, kiosk_answers = submitted(session, code, fields, draft)
        assert kiosk_errors == set(), kiosk_errors
        assert kiosk_answers == draft
        # The same answers sent as typed (the API's way) make the same request.
        assert api_errors == set() and api_answers == draft

    agree()
