"""The JSON API's contract, enforced in every test: each /api/v1 response must have a status
that /api/v1/openapi.json lists for its operation and a body that matches that schema."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import jsonschema_rs
from flask import Flask, Response, request

from kiosk.api.openapi import openapi_document

PREFIX = "/api/v1"
DIALECT = "https://json-schema.org/draft/2020-12/schema"  # OpenAPI 3.1's schema dialect


def openapi_path(rule: str) -> str:
    """A Flask rule as the document's path: /api/v1/services/<code> -> /services/{code}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix(PREFIX))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    document = openapi_document()
    while "$ref" in node:
        for part in node["$ref"].removeprefix("#/").split("/"):
            document = document[part]
        node, document = document, openapi_document()
    return node


@cache
def _validator(schema_json: str) -> Any:
    schema = {"$schema": DIALECT, **json.loads(schema_json),
              "components": openapi_document()["components"]}
    return jsonschema_rs.validator_for(schema)


def response_spec(rule: str | None, method: str, status: int) -> dict[str, Any] | str:
    """The documented response for this call, or why there is none."""
    if rule is None:  # no route matched (404, 405): the error shape still holds
        return _resolve({"$ref": "#/components/responses/Error"})
    path = openapi_path(rule)
    operation = openapi_document()["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return f"{method} {path} is not in the OpenAPI document"
    responses = operation["responses"]
    spec = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") \
        or responses.get("default")
    if spec is None:
        return f"{method} {path} answered {status}, which the OpenAPI document does not list"
    return _resolve(spec)


def contract_problem(rule: str | None, method: str, response: Response) -> str | None:
    spec = response_spec(rule, method, response.status_code)
    if isinstance(spec, str):
        return spec
    content = spec.get("content", {})
    media = response.mimetype
    if media not in content:
        return f"{method} {rule} answered {media}; the document says {sorted(content)}"
    if media != "application/json":
        return None
    validator = _validator(json.dumps(content[media].get("schema", {}), sort_keys=True))
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}"
              for e in validator.iter_errors(response.get_json())]
    if errors:
        return f"{method} {rule} {response.status_code} drifts from its schema: {errors[:5]}"
    return None


def enforce_api_contract(app: Flask) -> None:
    @app.after_request
    def check_against_openapi(response: Response) -> Response:
        if request.path.startswith(PREFIX + "/") and request.method not in ("HEAD", "OPTIONS"):
            rule = request.url_rule.rule if request.url_rule else None
            if (problem := contract_problem(rule, request.method, response)) is not None:
                raise AssertionError(f"API contract: {problem}")
        return response
