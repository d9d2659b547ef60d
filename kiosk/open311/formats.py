"""GeoReport v2 responses in JSON or XML, with the spec's element names, and its errors."""

from __future__ import annotations

from typing import Any

# Builds the XML responses; nothing here parses XML (bandit B405).
from xml.etree import ElementTree  # nosec B405

from flask import Response, jsonify, request

# A list's element name inside its parent, as the spec's XML examples write them.
ITEM_NAMES = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
}
# Our statuses as the spec's: a bad api_key is 403, bad input 400.
OPEN311_STATUS = {401: 403, 422: 400}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            _fill(ElementTree.SubElement(element, name), inner)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for inner in value:
            _fill(ElementTree.SubElement(element, item_name), inner)
    else:
        element.text = _text(value)


def xml_document(root: str, data: Any) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, data)
    # The spec asks for the declaration with encoding="UTF-8" before the root element.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(element,
                                                                             encoding="utf-8")


def render(fmt: str, root: str, data: Any, status: int = 200) -> Response:
    """``data`` as JSON, or as XML under the element ``root``."""
    if fmt == "xml":
        return Response(xml_document(root, data), status=status,
                        content_type="text/xml; charset=utf-8")
    response = jsonify(data)
    response.status_code = status
    return response


def georeport_error(status: int, message: str,
                    fields: dict[str, str] | None = None) -> tuple[Response, int]:
    """The spec's error list: one {code, description} per problem, in the asked format."""
    status = OPEN311_STATUS.get(status, status)
    problems = [f"{name}: {text}" for name, text in (fields or {}).items()] or [message]
    errors = [{"code": status, "description": problem} for problem in problems]
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return render(fmt, "errors", errors, status), status
