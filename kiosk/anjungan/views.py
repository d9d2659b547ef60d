"""The citizen's screens: choose a service, identify, answer page by page, check, submit,
print the receipt; look up a request's status; an officer's assisted mode; the idle wipe."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from kiosk.anjungan import bp
from kiosk.anjungan.berkas import asked_documents, submitted_documents
from kiosk.anjungan.device import forget_device, remember_device
from kiosk.anjungan.draft import (
    current_draft,
    current_receipt,
    finish_citizen,
    idempotency_key,
    save_draft,
    start_draft,
    wipe_all,
)
from kiosk.anjungan.forms import (
    EnrolForm,
    IdentityForm,
    PageForm,
    build_page_form,
    form_pages,
    typed_answers,
)
from kiosk.anjungan.receipt_screens import (
    REQUEST_SCREEN,
    filed_here,
    keep_receipt,
    screen_context,
)
from kiosk.credential_guard import device_for_token
from kiosk.extensions import city_calendar, clock, db, limiter, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import field_messages
from kiosk.urls import public_base_url
from services.answers import display_answer
from services.catalog import queries
from services.errors import NotFound, Unauthenticated, ValidationFailed
from services.frontoffice.queue import group_for_service
from services.kiosks.printing import next_steps, status_url
from services.models import (
    Channel,
    FormField,
    Service,
)
from services.submission import Applicant, Submission, submit_request
from services.validation import visible_fields

# -- device enrolment and the wipe -------------------------------------------------------------

@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def enrol():
    """Exchange a kiosk's device token, typed or posted once, for the device cookie."""
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            kiosk = device_for_token(form.token.data)
        except Unauthenticated:
            form.token.errors.append(_("Token tidak dikenal atau sudah dicabut."))
        else:
            response = redirect(url_for("anjungan.home"))
            remember_device(response, kiosk)
            return response
    if request.method == "GET":
        return render_template("kiosk/enrol.html", form=form)
    # A failed attempt leaves this browser unenrolled, whatever it was before.
    response = current_app.make_response((render_template("kiosk/enrol.html", form=form), 401))
    forget_device(response)
    return response


@bp.post("/wipe")
def wipe():
    """The idle timer's (and the Cancel button's) wipe: everything of this citizen goes."""
    wipe_all()
    return redirect(url_for("anjungan.home"))


@bp.post("/finish")
def finish():
    """The citizen says they are done; an assisting officer stays signed in."""
    finish_citizen()
    return redirect(url_for("anjungan.home"))


# -- choosing a service ------------------------------------------------------------------------

@bp.get("/")
def home():
    query = (request.args.get("q") or "").strip()[:60]
    results = queries.active_services(db.session, search=query) if query else None
    maklumat = queries.kiosk_maklumat(db.session, g.kiosk.agency_id if g.kiosk else None,
                                      current_app.config["MAKLUMAT_AGENCY"])
    return render_template("kiosk/home.html", categories=queries.categories(db.session),
                           query=query, results=results, maklumat=maklumat)


@bp.get("/category/<code>")
def category(code: str):
    services = queries.active_services(db.session, category=code)
    if not services:
        abort(404)
    return render_template("kiosk/category.html", category=services[0].category,
                           services=services)


@bp.get("/service/<code>")
def service(code: str):
    found = queries.active_service(db.session, code)
    return render_template("kiosk/service.html", service=found, version=found.current_version)


@bp.post("/service/<code>/start")
def start(code: str):
    queries.active_service(db.session, code)
    start_draft(code)
    return redirect(url_for("anjungan.identity"))


# -- the application ---------------------------------------------------------------------------

def _draft_service() -> tuple[dict[str, Any], Service] | None:
    draft = current_draft()
    if draft is None:
        return None
    try:
        return draft, queries.active_service(db.session, draft["service"])
    except NotFound:
        return None


def _draft_with_applicant() -> tuple[dict[str, Any], Service] | Response:
    """The draft past its identity step, or where the citizen must go first."""
    found = _draft_service()
    if found is None:
        return redirect(url_for("anjungan.home"))
    if not found[0]["applicant"]:
        return redirect(url_for("anjungan.identity"))
    return found


def _fields(service: Service) -> list[FormField]:
    assert service.current_version is not None
    return list(service.current_version.fields)


def _from_check() -> bool:
    """The page was opened from "Ubah" on the check page: Back and Lanjut return there."""
    return request.args.get("back") == "check"


def _next_after(service: Service, page: int | None) -> str:
    """Where the citizen goes after identity (page None) or after a page."""
    if _from_check():
        return url_for("anjungan.check")
    later = [p for p in form_pages(_fields(service)) if page is None or p > page]
    if later:
        return url_for("anjungan.page", number=later[0])
    draft = current_draft() or {"answers": {}}
    if asked_documents(service, draft["answers"]):
        return url_for("anjungan.documents")
    return url_for("anjungan.check")


def _today() -> Any:
    return city_calendar().local_day(clock().now())


@bp.route("/apply/identity", methods=["GET", "POST"])
def identity():
    found = _draft_service()
    if found is None:
        return redirect(url_for("anjungan.home"))
    draft, service = found
    form = IdentityForm(current_language(),
                        data={**draft["applicant"], "notify": draft.get("notify", "none")}
                        if request.method == "GET" else None)
    if form.validate_on_submit():
        draft["applicant"] = {"nik": form.nik.cleaned, "name": form.name.cleaned,
                              "phone": form.phone.cleaned}
        draft["notify"] = form.notify.data
        save_draft(draft)
        return redirect(_next_after(service, None))
    back = (url_for("anjungan.check") if _from_check()
            else url_for("anjungan.service", code=service.code))
    return render_template("kiosk/identity.html", form=form, service=service, back=back,
                           step=_progress(service, "identity"))


@bp.route("/apply/page/<int:number>", methods=["GET", "POST"])
def page(number: int):
    found = _draft_with_applicant()
    if isinstance(found, Response):
        return found
    draft, service = found
    fields = _fields(service)
    form = page_form(draft, service, number)
    if form.validate_on_submit():
        for key, value in form.visible_answers().items():
            if value is None:
                draft["answers"].pop(key, None)
            else:
                draft["answers"][key] = value
        save_draft(draft)
        return redirect(_next_after(service, number))
    previous = [p for p in form_pages(fields) if p < number]
    back = (url_for("anjungan.check") if _from_check()
            else url_for("anjungan.page", number=previous[-1]) if previous
            else url_for("anjungan.identity"))
    assert service.current_version is not None
    title = (service.current_version.page_title(number, current_language())
             or _("Isian permohonan"))
    return render_template("kiosk/page.html", form=form, service=service, number=number,
                           back=back, title=title, step=_progress(service, number))


def page_form(draft: dict[str, Any], service: Service, number: int) -> PageForm:
    """Page ``number`` of the service's form, filled with the draft's answers on a GET."""
    fields = _fields(service)
    if number not in form_pages(fields):
        abort(404)
    form_class = build_page_form(fields, number, current_language(),
                                 earlier_answers=draft["answers"], today=_today())
    return form_class(data=typed_answers(fields, draft["answers"])
                      if request.method == "GET" else None)


def _progress(service: Service, where: int | str) -> dict[str, int]:
    draft = current_draft() or {"answers": {}}
    documents = ["berkas"] if asked_documents(service, draft["answers"]) else []
    steps: list[int | str] = ["identity", *form_pages(_fields(service)), *documents, "check"]
    return {"at": steps.index(where) + 1, "of": len(steps)}


def answer_rows(fields: list[FormField], answers: Mapping[str, Any], lang: str,
                errors: Mapping[str, str]) -> list[dict[str, Any]]:
    """The check page's rows: each shown answer, and each field with an error, named and with
    the page that fixes it."""
    shown = {f.key for f in visible_fields(fields, answers)}
    return [{"field": f, "label": f.label(lang), "page": f.page,
             "value": display_answer(f, answers[f.key], lang) if f.key in answers else ""}
            for f in fields if (f.key in shown and f.key in answers) or f.key in errors]


@bp.get("/apply/check")
def check():
    found = _draft_with_applicant()
    if isinstance(found, Response):
        return found
    draft, service = found
    idempotency_key(draft)
    return _render_check(draft, service, errors={})


def _render_check(draft: dict[str, Any], service: Service, errors: dict[str, str]):  # type: ignore[no-untyped-def]
    lang = current_language()
    return render_template(
        "kiosk/check.html", service=service, applicant=draft["applicant"],
        notify=draft.get("notify", "none"),
        rows=answer_rows(_fields(service), draft["answers"], lang, errors), errors=errors,
        documents=[(r, draft.get("documents", {}).get(r.key, []))
                   for r in asked_documents(service, draft["answers"])],
        step=_progress(service, "check"),
    ), 422 if errors else 200


@bp.post("/apply/submit")
def submit():
    """Submit through the one submission use case; a double tap returns the first request."""
    found = _draft_service()
    if found is None:
        # The first tap already submitted and replaced the draft with its receipt.
        return redirect(url_for("anjungan.done" if current_receipt() else "anjungan.home"))
    draft, service = found
    key = idempotency_key(draft)
    submission = Submission(
        service_code=service.code,
        applicant=Applicant(**draft["applicant"]),
        # Answers to fields a newer version of the service no longer asks are not sent.
        answers={**{f.key: draft["answers"][f.key] for f in _fields(service)
                    if f.key in draft["answers"]}, **submitted_documents(draft, service)},
        channel=Channel.KIOSK,
        language=current_language(),
        kiosk_id=g.kiosk.id,
        officer_id=g.officer.id if g.officer else None,
        idempotency_key=f"kiosk:{g.kiosk.code}:{key}",
        actor_label=f"e-Kios {g.kiosk.code}",
        notify=draft.get("notify", "none"),
    )
    try:
        with unit_of_work(keep_loaded=True):
            result = submit_request(db.session, submission, pins=pin_keyring(),
                                    calendar=city_calendar(), now=clock().now())
    except ValidationFailed as invalid:
        return _render_check(draft, service, errors=field_messages(invalid.fields))
    keep_receipt(REQUEST_SCREEN, result.request.id, result.pin)
    return redirect(url_for("anjungan.done"))


@bp.get("/apply/done")
def done():
    """The receipt screen: code and PIN, whether the receipt is printing (only when it is), the
    status QR code to scan, and what to bring where."""
    found = filed_here(REQUEST_SCREEN)
    if found is None:
        return redirect(url_for("anjungan.home"))
    pin, submitted = found
    lang = current_language()
    url = status_url(public_base_url(), submitted.tracking_code)
    return render_template("kiosk/done.html", request_=submitted, status_url=url,
                           **screen_context(REQUEST_SCREEN, submitted, pin, qr_url=url,
                                            qr_label=_("Kode QR status permohonan")),
                           steps=next_steps(submitted, lang),
                           visit_group=group_for_service(
                               db.session, submitted.service_version.service.code),
                           service_name=submitted.service_version.text("name", lang))
