"""Schemathesis drives every operation of /api/v1/openapi.json with generated input: no
answer may be a 5xx, and every answer must have a documented status, content type and a body
matching its schema. Bounded: a few examples per operation, derandomised, no deadline (a
loaded machine must not fail it). Runs on SQLite and PostgreSQL like every test."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kiosk.api.openapi import openapi_document
from tests.builders.kiosk import KIOSK_TOKEN, make_business_catalog, make_kiosk
from tests.builders.open311 import make_key

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES_PER_OPERATION = 10


@pytest.fixture
def api_key(app, session):
    make_business_catalog(session)
    make_kiosk(session)
    return make_key(session)


# One test per documented operation (schemathesis's own pytest loader does not run on pytest 9).
OPERATIONS = [(path, method) for path, item in openapi_document()["paths"].items()
              for method in ("get", "post") if method in item]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_answers_within_its_documented_contract(app, api_key, path, method,
                                                                 monkeypatch):
    # A generated ?wait= holds a print-job poll up to 25 s: the contract is the same at 0.2 s.
    monkeypatch.setattr("kiosk.api.devices.LONG_POLL_MAX_SECONDS", 0.2)
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method.upper()]
    # Both credentials, so generated input reaches the code behind authentication.
    headers = {"X-API-Key": api_key, "Authorization": f"Bearer {KIOSK_TOKEN}"}

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], database=None,
              suppress_health_check=list(HealthCheck))
    def answers_within_contract(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_within_contract()
