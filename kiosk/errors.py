"""Map domain errors and HTTP errors to pages or to the API's JSON error format, in one place."""

from __future__ import annotations

import contextlib
import sqlite3

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from kiosk.messages import api_language, field_messages, say
from services import errors

STATUS_BY_ERROR: dict[type[errors.DomainError], int] = {
    errors.NotFound: 404,
    errors.ValidationFailed: 422,
    errors.InvalidTransition: 409,
    errors.Conflict: 409,
    errors.NotAllowed: 403,
    errors.Unauthenticated: 401,
}

CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
# Seconds a client should wait before retrying while the database is unreachable.
DATABASE_RETRY_AFTER = 5


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/open311/"))


def json_error(
    status: int, message: str, *, code: str | None = None, fields: dict[str, str] | None = None
) -> tuple[Response, int]:
    """The API's error body: {"error": {"code", "message", "fields"}}."""
    body = {
        "error": {
            "code": code or CODE_BY_STATUS.get(status, "error"),
            "message": message,
            "fields": fields or {},
        }
    }
    return jsonify(body), status


def api_error(status: int, message: str, *, code: str | None = None,
              fields: dict[str, str] | None = None) -> tuple[Response, int]:
    """The error in the caller's protocol: GeoReport's list of errors on /open311/, else ours."""
    if request.path.startswith("/open311/"):
        from kiosk.open311.formats import georeport_error

        return georeport_error(status, message, fields)
    return json_error(status, message, code=code, fields=fields)


def status_for(error: errors.DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return 400


def settle(error: errors.DomainError) -> None:
    """End the session's transaction after a failed use case: keep what it recorded on purpose
    (error.keeps_changes, e.g. a wrong PIN counted), drop anything else."""
    from kiosk.extensions import end_request_transaction

    end_request_transaction(error)


def database_unreachable(error: DBAPIError) -> bool:
    """A connection that failed or dropped, or a database too busy to answer: worth a retry
    (503). SQLite calls schema mistakes "operational" too; those stay errors (500)."""
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.orig, sqlite3.Error):
        return any(word in str(error.orig).lower()
                   for word in ("locked", "busy", "unable to open", "disk i/o"))
    return True


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(errors.DomainError)
    def domain_error(error: errors.DomainError):  # type: ignore[no-untyped-def]
        settle(error)
        status = status_for(error)
        # The domain names its message by code; it is worded here, in the visitor's language.
        if wants_json():
            language = api_language()
            return api_error(status, say(error.message, language), code=error.code,
                             fields=field_messages(error.fields, language))
        return render_template("errors/error.html", status=status,
                               message=say(error.message)), status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        message = _("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
        if wants_json():
            return api_error(400, message, code="csrf_failed")
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        status = error.code or 500
        # Allow (405), Retry-After (429, 503), WWW-Authenticate...: kept on our own body.
        headers = [(name, value) for name, value in error.get_headers()
                   if name.lower() != "content-type"]
        if wants_json():
            response, status = api_error(status, error.description or error.name)
            response.headers.extend(headers)
            return response, status
        message = {
            403: _("Anda tidak berwenang membuka halaman ini."),
            404: _("Halaman tidak ditemukan."),
            413: _("Data yang dikirim terlalu besar."),
            429: _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."),
        }.get(status, error.name)
        return render_template("errors/error.html", status=status, message=message), status, \
            headers

    @app.errorhandler(DBAPIError)
    def database_unavailable(error: DBAPIError):  # type: ignore[no-untyped-def]
        """The database is down or dropped the connection: 503 with Retry-After, no
        traceback. The page is drawn without the database (the layout would ask it who is
        signed in)."""
        if not database_unreachable(error):
            raise error
        from kiosk.extensions import end_request_transaction

        with contextlib.suppress(DBAPIError):
            end_request_transaction(error)
        app.logger.warning("database unavailable on %s %s (%s)", request.method, request.path,
                           type(error.orig).__name__)
        message = _("Layanan sedang tidak dapat dihubungi. Silakan coba lagi sebentar lagi.")
        if wants_json():
            response, status = json_error(503, message)
        else:
            response = Response(UNAVAILABLE_PAGE.format(message=escape(message)),
                                mimetype="text/html")
            status = 503
        response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response, status

    if app.testing:
        return  # let tests see the real traceback

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        message = _("Terjadi kesalahan pada sistem. Silakan coba lagi.")
        if wants_json():
            return api_error(500, message)
        return render_template("errors/error.html", status=500, message=message), 500


UNAVAILABLE_PAGE = ('<!doctype html><html><head><meta charset="utf-8"><title>503</title></head>'
                    '<body><main><h1>503</h1><p>{message}</p></main></body></html>')
