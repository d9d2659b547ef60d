"""Map domain errors and HTTP errors to pages or to the API's JSON error format, in one place."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
}


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


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(errors.DomainError)
    def domain_error(error: errors.DomainError):  # type: ignore[no-untyped-def]
        status = status_for(error)
        if wants_json():
            return api_error(status, error.message, code=error.code, fields=error.fields)
        # Domain messages are English; pages speak the visitor's language (kiosk/id.yaml).
        return render_template("errors/error.html", status=status,
                               message=_(error.message)), status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        message = _("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
        if wants_json():
            return api_error(400, message, code="csrf_failed")
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        status = error.code or 500
        if wants_json():
            response, status = api_error(status, error.description or error.name)
            if "Retry-After" in (headers := dict(error.get_headers())):
                response.headers["Retry-After"] = headers["Retry-After"]
            return response, status
        message = {
            403: _("Anda tidak berwenang membuka halaman ini."),
            404: _("Halaman tidak ditemukan."),
            429: _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."),
        }.get(status, error.name)
        return render_template("errors/error.html", status=status, message=message), status

    if app.testing:
        return  # let tests see the real traceback

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        message = _("Terjadi kesalahan pada sistem. Silakan coba lagi.")
        if wants_json():
            return api_error(500, message)
        return render_template("errors/error.html", status=500, message=message), 500
