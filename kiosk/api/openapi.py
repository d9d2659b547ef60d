"""Serve the OpenAPI 3.1 document that describes this API, as JSON and as a readable page.
Every response in the tests is checked against this same document (tests/api_contract.py)."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import jsonify, render_template

from kiosk.api import bp

SPEC_PATH = Path(__file__).with_name("openapi.yaml")
METHODS = ("get", "post", "put", "patch", "delete")


@cache
def openapi_document() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())


def _responses(operation: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    document = openapi_document()
    listed = []
    for status, response in sorted(operation.get("responses", {}).items()):
        if "$ref" in response:
            response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        listed.append((status, response))
    return listed


@bp.get("/docs")
def openapi_docs():
    """The document as a page rendered here: no script, style or font from another host."""
    document = openapi_document()
    operations = [
        {"path": path, "method": method.upper(), "operation": item[method],
         "responses": _responses(item[method]), "id": f"{method}-{path}".replace("/", "-")}
        for path, item in document["paths"].items() for method in METHODS if method in item
    ]
    return render_template("api/docs.html", document=document, operations=operations)
