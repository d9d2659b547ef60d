"""The admin page of a standard's management components (komponen pengelolaan), its SK
penetapan and the records of its public consultations."""

from __future__ import annotations

from flask import redirect, url_for

from kiosk.admin import bp
from kiosk.admin.catalog import _edit, _page
from kiosk.admin.forms.standard import MANAGEMENT_LABELS, ConsultationForm, ManagementForm
from kiosk.extensions import db
from kiosk.i18n import current_language
from services.catalog import editing
from services.catalog.standard import Group, all_components

MANAGEMENT_INPUTS = (*(f"{name}_{lang}" for name in MANAGEMENT_LABELS for lang in ("id", "en")),
                     "decree_number", "decree_date")


def _management_page(code: str, form: ManagementForm, consultation: ConsultationForm,
                     problems: list[str]) -> str:
    _definition, version = editing.editable_definition(db.session, code)
    parts = all_components(version, current_language())
    return _page("management.html", code, form=form, consultation=consultation,
                 problems=problems,
                 groups=[(group, [part for part in parts if part.group is group])
                         for group in Group])


@bp.route("/services/<code>/management", methods=["GET", "POST"])
def service_management(code: str):
    form = ManagementForm()
    if not form.is_submitted():
        form.fill(editing.editable_definition(db.session, code)[0])
    problems: list[str] | None = []
    if form.validate_on_submit():
        values = form.values()
        problems = _edit(code, form, lambda d: editing.apply_standard(d, values),
                         inputs=MANAGEMENT_INPUTS)
        if problems is None:
            return redirect(url_for("admin.service_management", code=code))
    return _management_page(code, form, ConsultationForm(formdata=None), problems or [])


@bp.post("/services/<code>/consultations")
def add_service_consultation(code: str):
    consultation = ConsultationForm()
    form = ManagementForm(formdata=None)
    form.fill(editing.editable_definition(db.session, code)[0])
    problems: list[str] | None = []
    if consultation.validate_on_submit():
        entry = consultation.entry()
        problems = _edit(code, consultation, lambda d: editing.add_consultation(d, entry))
        if problems is None:
            return redirect(url_for("admin.service_management", code=code))
    return _management_page(code, form, consultation, problems or [])
