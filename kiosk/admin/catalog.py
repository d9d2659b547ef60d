"""Admin pages for services: the list, a new service, and editing one through its draft
(standard, form fields, workflow steps), publishing, version history and a form preview."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from kiosk.admin import bp
from kiosk.admin.common import show_errors
from kiosk.admin.forms import options
from kiosk.admin.forms.catalog import (
    FIELD_TYPE_LABELS,
    OPERATOR_LABELS,
    FieldForm,
    NewServiceForm,
    StandardForm,
    StepForm,
    condition_choices,
)
from kiosk.anjungan.forms import build_page_form, form_pages
from kiosk.auth import current_staff
from kiosk.extensions import db, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import say
from services.catalog import editing
from services.catalog.agencies import list_agencies
from services.catalog.definitions import version_to_definition
from services.catalog.versions import (
    discard_draft,
    draft_of,
    get_service,
    publish_draft,
    set_service_active,
)
from services.errors import NotFound, ValidationFailed
from services.models import Category, FieldType, Service, ServiceRequest, ServiceVersion

STANDARD_INPUTS = tuple(name for name, value in vars(StandardForm).items()
                        if hasattr(value, "field_class"))


def _categories():  # type: ignore[no-untyped-def]
    rows = db.session.scalars(select(Category).order_by(Category.position, Category.code))
    return options((c.code, c.name_id) for c in rows)


def _agency_choices(blank: str | None):  # type: ignore[no-untyped-def]
    choices = [(a.code, f"{a.code} - {a.name_id}") for a in list_agencies(db.session) if a.active]
    return options(([("", blank)] if blank is not None else []) + choices)


def _page(template: str, code: str, **context: Any) -> str:
    """Render a service page with the service, its draft and the definition being edited."""
    definition, version = editing.editable_definition(db.session, code)
    service = version.service
    return render_template(
        f"admin/services/{template}", service=service, version=version, draft=draft_of(service),
        definition=definition, type_labels={t.value: text for t, text in FIELD_TYPE_LABELS.items()},
        operators=OPERATOR_LABELS, labels={f["key"]: f["label"]["id"] for f in definition["fields"]},
        **context,
    )


def _edit(code: str, form, change, where: str = "", inputs=()) -> list[str] | None:  # type: ignore[no-untyped-def]
    """Apply a change to the draft; None when saved, else the problems not shown by an input."""
    try:
        with unit_of_work():
            draft = editing.edit_draft(db.session, code, change, actor=current_staff(),
                                       where=where, inputs=inputs)
    except ValidationFailed as error:
        return show_errors(form, error)
    flash(_("Draf versi %(number)s disimpan. Terbitkan bila sudah siap.", number=draft.number),
          "ok")
    return None


@bp.get("/services/")
def services():
    rows = db.session.scalars(
        select(Service).order_by(Service.code).options(
            selectinload(Service.versions), joinedload(Service.current_version),
            joinedload(Service.category))
    ).unique().all()
    return render_template("admin/services/list.html", services=rows, draft_of=draft_of)


@bp.route("/services/new", methods=["GET", "POST"])
def new_service():
    form = NewServiceForm()
    form.category.choices = _categories()
    form.agency.choices = _agency_choices(None)
    problems: list[str] = []
    if form.validate_on_submit():
        code = form.code.data.strip().upper()
        try:
            with unit_of_work():
                editing.create_service(
                    db.session, code=code, category=form.category.data,
                    name={"id": form.name_id.data.strip(), "en": form.name_en.data.strip()},
                    agency=form.agency.data, actor=current_staff(),
                )
        except ValidationFailed as error:
            problems = show_errors(form, error)
        else:
            flash(_("Layanan %(code)s dibuat sebagai draf. Lengkapi lalu terbitkan.", code=code),
                  "ok")
            return redirect(url_for("admin.service", code=code))
    return render_template("admin/services/new.html", form=form, problems=problems)


@bp.get("/services/<code>/")
def service(code: str):
    service = get_service(db.session, code)
    counts = dict(db.session.execute(
        select(ServiceRequest.service_version_id, func.count(ServiceRequest.id))
        .join(ServiceVersion, ServiceVersion.id == ServiceRequest.service_version_id)
        .where(ServiceVersion.service_id == service.id)
        .group_by(ServiceRequest.service_version_id)
    ).all())
    return _page("overview.html", code, request_counts=counts)


@bp.route("/services/<code>/standard", methods=["GET", "POST"])
def service_standard(code: str):
    definition, _version = editing.editable_definition(db.session, code)
    form = StandardForm()
    form.category.choices = _categories()
    if not form.is_submitted():
        form.fill(definition)
    problems: list[str] = []
    if form.validate_on_submit():
        values = form.values()
        problems = _edit(code, form, lambda d: editing.apply_standard(d, values),
                         inputs=STANDARD_INPUTS)
        if problems is None:
            return redirect(url_for("admin.service", code=code))
    return _page("standard.html", code, form=form, problems=problems)


@bp.get("/services/<code>/fields/")
def service_fields(code: str):
    return _page("fields.html", code, condition_text=editing.condition_text)


def _field_form(definition: dict[str, Any], key: str | None) -> FieldForm:
    form = FieldForm()
    keys = [f["key"] for f in definition["fields"]]
    earlier = keys[: keys.index(key)] if key in keys else keys
    form.show_if_field.choices = condition_choices(earlier)
    return form


@bp.route("/services/<code>/fields/new", methods=["GET", "POST"], defaults={"key": None})
@bp.route("/services/<code>/fields/<key>/edit", methods=["GET", "POST"])
def edit_field(code: str, key: str | None):
    definition, _version = editing.editable_definition(db.session, code)
    form = _field_form(definition, key)
    if key is not None and not form.is_submitted():
        field = definition["fields"][editing.field_index(definition, key)]
        form.fill(field, editing.condition_text(field.get("show_if")))
    problems: list[str] = []
    if form.validate_on_submit():
        by_key = {f["key"]: f for f in definition["fields"]}
        show_if = editing.parse_condition(by_key, form.show_if_field.data, form.show_if_op.data,
                                          form.show_if_value.data or "")
        field = form.definition(show_if)
        problems = _edit(code, form, lambda d: editing.put_field(d, key, field),
                         where=f"field {field['key']}", inputs=form._fields)
        if problems is None:
            return redirect(url_for("admin.service_fields", code=code))
    return _page("field_form.html", code, form=form, key=key, problems=problems)


@bp.post("/services/<code>/fields/<key>/remove")
def remove_field(code: str, key: str):
    problems = _edit(code, None, lambda d: editing.remove_field(d, key))
    for problem in problems or []:
        flash(problem, "error")
    return redirect(url_for("admin.service_fields", code=code))


@bp.post("/services/<code>/fields/<key>/move")
def move_field(code: str, key: str):
    offset = -1 if request.form.get("direction") == "up" else 1
    problems = _edit(code, None, lambda d: editing.move_field(d, key, offset))
    for problem in problems or []:
        flash(problem, "error")
    return redirect(url_for("admin.service_fields", code=code, _anchor=f"field-{key}"))


@bp.get("/services/<code>/steps/")
def service_steps(code: str):
    return _page("steps.html", code, condition_text=editing.condition_text)


@bp.route("/services/<code>/steps/new", methods=["GET", "POST"], defaults={"index": None})
@bp.route("/services/<code>/steps/<int:index>/edit", methods=["GET", "POST"])
def edit_step(code: str, index: int | None):
    definition, _version = editing.editable_definition(db.session, code)
    form = StepForm()
    keys = [f["key"] for f in definition["fields"]]
    form.condition_field.choices = condition_choices(keys)
    form.agency_from_field.choices = options([("", _("(tidak)"))] + [
        (f["key"], f["key"]) for f in definition["fields"] if f["type"] == FieldType.CHOICE.value
    ])
    form.agency.choices = _agency_choices(_("(menurut jawaban)"))
    form.forward_to.choices = _agency_choices(None)
    if index is not None and not form.is_submitted():
        step = editing.step_at(definition, index)
        form.fill(step, editing.condition_text(step.get("condition")))
    problems: list[str] = []
    if form.validate_on_submit():
        by_key = {f["key"]: f for f in definition["fields"]}
        condition = editing.parse_condition(by_key, form.condition_field.data,
                                            form.condition_op.data, form.condition_value.data or "")
        step = form.definition(condition)
        number = (index if index is not None else len(definition["workflow"])) + 1
        problems = _edit(code, form, lambda d: editing.put_step(d, index, step),
                         where=f"workflow step {number}", inputs=form._fields)
        if problems is None:
            return redirect(url_for("admin.service_steps", code=code))
    return _page("step_form.html", code, form=form, index=index, problems=problems)


@bp.post("/services/<code>/steps/<int:index>/remove")
def remove_step(code: str, index: int):
    problems = _edit(code, None, lambda d: editing.remove_step(d, index))
    for problem in problems or []:
        flash(problem, "error")
    return redirect(url_for("admin.service_steps", code=code))


@bp.post("/services/<code>/publish")
def publish_service(code: str):
    try:
        with unit_of_work():
            version = publish_draft(db.session, code, actor=current_staff(),
                                    needs_decree=current_app.config["STANDARD_NEEDS_DECREE"])
    except ValidationFailed as error:
        for problem in getattr(error, "problems", [say(error.message)]):
            flash(problem, "error")
    else:
        flash(_("Versi %(number)s diterbitkan. Permohonan baru memakai versi ini; permohonan "
                "lama tetap memakai versinya.", number=version.number), "ok")
    return redirect(url_for("admin.service", code=code))


@bp.post("/services/<code>/discard")
def discard_service_draft(code: str):
    service = get_service(db.session, code)
    if service.current_version is None:
        flash(_("Layanan ini belum pernah diterbitkan; drafnya tidak dapat dibuang."), "error")
        return redirect(url_for("admin.service", code=code))
    with unit_of_work():
        discard_draft(db.session, code, actor=current_staff())
    flash(_("Draf dibuang."), "ok")
    return redirect(url_for("admin.service", code=code))


@bp.post("/services/<code>/active")
def toggle_service(code: str):
    active = request.form.get("active") == "1"
    with unit_of_work():
        set_service_active(db.session, code, active, actor=current_staff())
    flash(_("Layanan diaktifkan.") if active else _("Layanan dinonaktifkan."), "ok")
    return redirect(url_for("admin.service", code=code))


def kiosk_screens(version: ServiceVersion, lang: str) -> dict[int, str]:
    """Each form page as the kiosk draws it (its markup and its stylesheet), for the preview's
    frames: the kiosk's own page form and field macro, with every field shown."""
    fields = list(version.fields)
    screens: dict[int, str] = {}
    pages = form_pages(fields)
    for at, number in enumerate(pages, start=2):
        form = build_page_form(fields, number, lang, earlier_answers={},
                               today=date.today())(meta={"csrf": False}, formdata=None)
        screens[number] = render_template(
            "admin/services/kiosk_screen.html", form=form, version=version,
            title=version.page_title(number, lang) or _("Isian permohonan"),
            step={"at": at, "of": len(pages) + 2})
    return screens


@bp.get("/services/<code>/preview")
def preview_service(code: str):
    service = get_service(db.session, code)
    number = request.args.get("version", type=int)
    if number is not None:
        version = next((v for v in service.versions if v.number == number), None)
        if version is None:
            raise NotFound("service.no_such_version", number=number, code=code)
    else:
        version = draft_of(service) or service.current_version
        if version is None:
            raise NotFound("service.no_version", code=code)
    pages: dict[int, list] = {}
    for field in version.fields:
        pages.setdefault(field.page, []).append(field)
    lang = current_language()
    labels = {f.key: f.label(lang) for f in version.fields}
    return render_template(
        "admin/services/preview.html", service=service, version=version, draft=draft_of(service),
        pages=sorted(pages.items()), labels=labels, operators=OPERATOR_LABELS,
        screens=kiosk_screens(version, lang),
        condition_text=editing.condition_text,
        definition=version_to_definition(service, version),
    )
