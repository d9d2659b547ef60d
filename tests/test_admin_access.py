"""Every admin page, including those other features add later, is for administrators only."""

import pytest
from werkzeug.routing.converters import NumberConverter

from kiosk import create_app
from services.models import Role
from tests.builders import login, make_user

SAMPLE_VALUES = {"int": "1", "default": "SAMPLE"}


def admin_requests() -> list[tuple[str, str]]:
    """(method, path) for every rule of the admin blueprint, URL parameters filled in."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        values = {}
        for name in rule.arguments - set(rule.defaults or {}):
            numeric = isinstance(rule._converters[name], NumberConverter)
            values[name] = SAMPLE_VALUES["int"] if numeric else SAMPLE_VALUES["default"]
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            found.append((method, path))
    return found


ADMIN_REQUESTS = admin_requests()


def test_the_walk_finds_the_admin_pages():
    paths = {path for _method, path in ADMIN_REQUESTS}
    assert {"/admin/", "/admin/services/", "/admin/users/", "/admin/audit/"} <= paths
    assert ("POST", "/admin/services/SAMPLE/publish") in ADMIN_REQUESTS


@pytest.mark.parametrize(("method", "path"), ADMIN_REQUESTS)
def test_an_anonymous_visitor_is_sent_to_login(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "path"), ADMIN_REQUESTS)
def test_a_clerk_is_refused(client, app_session, method, path):
    make_user(app_session, "clerk1", Role.CLERK)
    login(client, "clerk1")
    assert client.open(path, method=method).status_code == 403


def test_an_admin_form_posted_without_its_csrf_token_changes_nothing(app, client, app_session):
    from sqlalchemy import select

    from services.models import Agency

    make_user(app_session, "boss", Role.ADMIN)
    login(client, "boss")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/admin/agencies/new", data={
        "code": "DINKES", "kind": "dinas", "name_id": "Dinas Kesehatan", "name_en": "Health"})
    assert response.status_code == 400
    assert app_session.scalar(select(Agency).where(Agency.code == "DINKES")) is None
