"""GET /api/v1/ikm: the public satisfaction index of an agency or a service over months.
Public like the catalog: it is an aggregate and names no one."""

from flask import current_app, jsonify, request

from kiosk.api import bp
from kiosk.api.serializers import ikm_json
from kiosk.extensions import db
from kiosk.ikm.questionnaire import GRADE_NAMES
from services.ikm.report import ikm_report, ikm_scope


@bp.get("/ikm")
def ikm_index():
    args = request.args
    scope = ikm_scope(db.session, agency_code=args.get("agency"),
                      service_code=args.get("service"),
                      period_from=args.get("from"), period_to=args.get("to"))
    report = ikm_report(db.session, scope, tz=current_app.config["CITY_TIMEZONE"])
    grade = report.result.grade
    return jsonify({
        **ikm_json(report.result),
        "label": str(GRADE_NAMES[grade.letter]) if grade else None,
        "sample": {"population": report.population, "required": report.required_sample,
                   "representative": report.representative},
        "filters": {"agency": scope.agency.code if scope.agency else None,
                    "service": scope.service.code if scope.service else None,
                    "from": scope.period_from, "to": scope.period_to},
    })
