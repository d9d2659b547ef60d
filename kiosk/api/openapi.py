"""Serve the OpenAPI document that describes this API."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import jsonify

from kiosk.api import bp

SPEC_PATH = Path(__file__).with_name("openapi.yaml")


@cache
def openapi_document() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())
