"""Catalog endpoints: services and agencies."""

from flask import jsonify, request

from kiosk.api import bp
from kiosk.api.serializers import agency_json, service_detail_json, service_summary_json
from kiosk.api_keys import calling_key
from kiosk.extensions import db
from kiosk.i18n import current_language
from services.catalog import queries
from services.models import Scope


@bp.get("/services")
def list_services():
    calling_key(Scope.CATALOG_READ, required=False)
    lang = current_language()
    search = (request.args.get("q") or "").strip()[:60] or None
    services = queries.active_services(db.session, search=search)
    return jsonify({"language": lang, "services": [service_summary_json(s, lang) for s in services]})


@bp.get("/services/<code>")
def show_service(code: str):
    calling_key(Scope.CATALOG_READ, required=False)
    lang = current_language()
    service = queries.active_service(db.session, code)
    return jsonify(service_detail_json(service, service.current_version, lang))


@bp.get("/agencies")
def list_agencies():
    calling_key(Scope.CATALOG_READ, required=False)
    lang = current_language()
    return jsonify({"language": lang,
                    "agencies": [agency_json(a, lang) for a in queries.agencies(db.session)]})
