"""A published Open311 client from PyPI (georeport 0.3.1) talks to a running server as a third
party would, knowing only the GeoReport v2 spec: list services, read a service's attributes,
post a request, read it back, in JSON and in XML. georeport has no POST method, so the POST is
a plain form-encoded spec request with `requests`, as its README suggests for writes."""

from __future__ import annotations

import threading

import pytest
import requests
from georeport import GeoReport
from werkzeug.serving import make_server

from tests.builders.kiosk import NIK
from tests.builders.open311 import open311_catalog, post_form
from tests.threads import join_all

# The app answers from server threads, on connections of its own: committed data.
pytestmark = pytest.mark.committing


@pytest.fixture
def server(app, session):
    api_key = open311_catalog(session)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}/open311/v2", api_key
    http.shutdown()
    join_all([thread], timeout=10)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_published_open311_client_lists_reads_posts_and_reads_back(server, fmt):
    root, api_key = server
    client = GeoReport(root, jurisdiction="kotacontoh.go.id", api_key=api_key,
                       output_format=fmt)
    services = client.get_service_list()
    service = services[0] if isinstance(services, list) else services  # xmltodict: one = dict
    assert service["service_code"] == "IZIN-USAHA"
    assert str(service["metadata"]).lower() == "true"

    definition = client.get_service_definition("IZIN-USAHA")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    codes = {attribute["code"]: attribute for attribute in attributes}
    assert {"applicant_nik", "business_name", "sector", "workers"} <= set(codes)
    sector_values = codes["sector"]["values"]
    if fmt == "xml":
        sector_values = sector_values["value"]
    assert {value["key"] for value in sector_values} == {"dagang", "jasa"}

    posted = requests.post(f"{root}/requests.{fmt}", data=post_form(
        client.api_key, jurisdiction_id=client.jurisdiction), timeout=30)
    assert posted.status_code == 201
    if fmt == "json":
        request_id = posted.json()[0]["service_request_id"]
    else:
        import xmltodict

        request_id = xmltodict.parse(posted.content)["service_requests"]["request"][
            "service_request_id"]

    found = client.get_service_request(request_id)
    assert found["service_request_id"] == request_id
    assert found["status"] == "open" and found["service_code"] == "IZIN-USAHA"
    assert NIK not in str(found)
    listed = client.get_service_requests(service_request_id=request_id)
    listed = listed if isinstance(listed, list) else [listed]
    assert [item["service_request_id"] for item in listed] == [request_id]
