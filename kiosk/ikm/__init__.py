"""The IKM survey pages: offered with one tap when a finished request is looked up at the
kiosk ("Cek status") or on the phone (/status), and reachable from a signed link
(``/survey/<token>``, made by ``survey_link``) that the complaints pages can hand out once a
complaint is answered. One set of views, registered on both blueprints like the status
look-up. Which request the survey is about travels in the signed session, never in the form
or the URL of the page the citizen fills in."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from kiosk.extensions import city_calendar, db, unit_of_work
from kiosk.i18n import current_language
from kiosk.ikm.questionnaire import elements
from kiosk.messages import field_messages
from services.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from services.ikm.survey import (
    already_answered,
    answer_survey,
    complaint_subject,
    complaint_survey_offered,
    request_subject,
    subject_key_from_token,
    survey_offered,
    survey_token,
)
from services.models import Complaint, ServiceRequest, SurveySource

SURVEY = "ikm_survey"  # session key: the subject ("request:<id>", "complaint:<id>") to rate


class SurveyForm(FlaskForm):
    """Only the CSRF token: the nine answers are checked once, in services.ikm.survey."""


def _offer(key: str, open_: bool) -> dict[str, Any]:
    """Offer the survey for a subject that is open to it and not yet rated, and remember (in
    the signed session) which subject the offer is for."""
    offered = open_ and not already_answered(db.session, key)
    if offered:
        session[SURVEY] = key
    return {"survey_offered": offered}


def survey_offer(found: ServiceRequest) -> dict[str, Any]:
    """Context for a request's status page: the survey once the request is finished."""
    return _offer(request_subject(found.id), survey_offered(found.status))


def complaint_survey_offer(complaint: Complaint) -> dict[str, Any]:
    """Context for a complaint's page: the survey once an agency has answered it."""
    return _offer(complaint_subject(complaint.id), complaint_survey_offered(complaint))


def survey_link(key: str) -> str:
    """An absolute link to the survey for a subject (valid 7 days), for other pages to hand
    out, e.g. ``survey_link("request:42")`` beside an answered complaint."""
    token = survey_token(current_app.config["SECRET_KEY"], key)
    return url_for("track.survey_link", token=token, _external=True)


def register_survey_views(bp: Blueprint, *, template: str, source: SurveySource,
                          back_endpoint: str, complaint_back_endpoint: str | None = None
                          ) -> None:
    """Add ``survey`` (the nine questions on one page, then thanks) and ``survey_link``
    (a signed link that opens it) to a blueprint."""

    def survey():  # type: ignore[no-untyped-def]
        key = session.get(SURVEY)
        # Back to the look-up the survey came from: a request's status or a complaint's page.
        back = complaint_back_endpoint if complaint_back_endpoint and str(key).startswith(
            "complaint:") else back_endpoint

        def render(status: int = 200, **context: Any):  # type: ignore[no-untyped-def]
            return render_template(template, elements=elements(), lang=current_language(),
                                   back_url=url_for(back), form=SurveyForm(),
                                   **context), status

        if not key:
            flash(_("Cari permohonan Anda dulu untuk mengisi survei."), "error")
            return redirect(url_for(back_endpoint))
        form = SurveyForm()
        if already_answered(db.session, key):
            session.pop(SURVEY, None)
            return render(409 if request.method == "POST" else 200, thanks=True, already=True)
        if request.method == "GET":
            return render(answers={}, errors={})
        if not form.validate_on_submit():
            return render(400, answers=request.form, errors={})
        try:
            with unit_of_work():
                answer_survey(db.session, key, request.form.to_dict(), source=source,
                              tz=city_calendar().timezone)
        except ValidationFailed as error:
            return render(422, answers=request.form, errors=field_messages(error.fields))
        except Conflict:
            session.pop(SURVEY, None)
            return render(409, thanks=True, already=True)
        except (NotFound, InvalidTransition):
            session.pop(SURVEY, None)
            flash(_("Survei ini tidak dapat diisi."), "error")
            return redirect(url_for(back))
        session.pop(SURVEY, None)
        return render(thanks=True, already=False)

    def open_survey_link(token: str):  # type: ignore[no-untyped-def]
        try:
            key = subject_key_from_token(current_app.config["SECRET_KEY"], token)
        except NotFound:
            flash(_("Tautan survei tidak berlaku atau sudah kedaluwarsa."), "error")
            return redirect(url_for(back_endpoint))
        session[SURVEY] = key
        return redirect(url_for(f"{bp.name}.survey"))

    bp.add_url_rule("/status/survey", "survey", survey, methods=["GET", "POST"])
    bp.add_url_rule("/survey/<token>", "survey_link", open_survey_link)
