"""The catalog API: shapes, languages and the JSON error format."""

from tests.builders import field_def, make_catalog, service_def, step_def


def test_services_lists_active_services_in_indonesian_by_default(client, app_session):
    make_catalog(app_session, service_def("SKTM"), service_def("OLD", active=False))
    body = client.get("/api/v1/services").get_json()
    assert body["language"] == "id"
    assert [s["code"] for s in body["services"]] == ["SKTM"]
    assert body["services"][0]["name"] == "Service SKTM"
    assert set(body["services"][0]) >= {"code", "category", "name", "duration_days", "fee"}


def test_services_follow_lang_parameter_and_accept_language(client, app_session):
    make_catalog(app_session, service_def("SKTM"))
    by_param = client.get("/api/v1/services?lang=en").get_json()
    by_header = client.get("/api/v1/services", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert by_param["services"][0]["name"] == "Service SKTM (en)"
    assert by_header.get_json()["language"] == "en"


def test_service_detail_has_fields_workflow_and_standard(client, app_session):
    make_catalog(app_session, service_def(
        "PBG",
        fields=[field_def("floor_area", type="number", constraints={"min": 1}),
                field_def("notes", type="long_text", required=False, page=2,
                          show_if={"field": "floor_area", "op": "gt", "value": 500})],
        workflow=[step_def("DPMPTSP", stage=1),
                  step_def("DPUPR", stage=2,
                           condition={"field": "floor_area", "op": "gt", "value": 500})],
        fee=150000,
    ))
    body = client.get("/api/v1/services/PBG?lang=en").get_json()
    assert body["standard"]["fee"] == 150000
    assert body["standard"]["requirements"] == ["Copy of identity card"]
    assert [f["key"] for f in body["fields"]] == ["floor_area", "notes"]
    assert body["fields"][1]["show_if"] == {"field": "floor_area", "op": "gt", "value": 500}
    assert [s["agency"] for s in body["workflow"]] == ["DPMPTSP", "DPUPR"]
    assert body["workflow"][1]["condition"]["op"] == "gt"


def test_unknown_service_answers_404_in_the_error_format(client, app_session):
    response = client.get("/api/v1/services/NOPE")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found" and error["fields"] == {} and error["message"]


def test_agencies_are_listed(client, app_session):
    make_catalog(app_session, service_def("SKTM"), agencies=["DPMPTSP", "DINSOS"])
    body = client.get("/api/v1/agencies?lang=en").get_json()
    assert sorted(a["code"] for a in body["agencies"]) == ["DINSOS", "DPMPTSP"]


def test_openapi_document_describes_the_catalog_paths(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/services", "/services/{code}", "/agencies"} <= set(document["paths"])


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
