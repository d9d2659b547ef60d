"""Open311 GeoReport v2 conformance, written from the specification (wiki.open311.org/
GeoReport_v2): every method in JSON and XML, the spec's field and element names, its error
list, and what must never appear in a public response."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from services.codes import format_tracking_code
from services.models import ApiKeyCall, Channel, ServiceRequest
from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE
from tests.builders.open311 import open311_catalog, post_form

BASE = "/open311/v2"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type",
                  "keywords", "group"}
ATTRIBUTE_FIELDS = {"variable", "code", "datatype", "required", "datatype_description",
                    "order", "description", "values"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "address_id", "zipcode", "lat", "long", "media_url"}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


@pytest.fixture
def api_key(app, session):
    return open311_catalog(session)


def xml(response):
    assert response.content_type.startswith("text/xml")
    assert response.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.data)


def submit(client, api_key, fmt="json", **changes):
    return client.post(f"{BASE}/requests.{fmt}", data=post_form(api_key, **changes))


def test_discovery_names_the_georeport_v2_endpoint_and_both_formats(client, api_key):
    document = client.get("/open311/discovery.json").get_json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(document)
    endpoint = document["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")
    assert {f.text for f in root.findall("endpoints/endpoint/formats/format")} == {
        "text/xml", "application/json"}


def test_services_list_the_catalog_with_metadata_and_realtime_type(client, api_key):
    services = client.get(f"{BASE}/services.json?jurisdiction_id=kotacontoh.go.id").get_json()
    assert isinstance(services, list) and len(services) == 1
    service = services[0]
    assert set(service) == SERVICE_FIELDS
    assert service["service_code"] == "IZIN-USAHA"
    assert service["metadata"] is True and service["type"] == "realtime"
    assert service["group"] == "Sosial"
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    item = root.find("service")
    assert {child.tag for child in item} == SERVICE_FIELDS
    assert item.find("metadata").text == "true" and item.find("type").text == "realtime"


def test_a_service_definition_gives_attributes_with_open311_datatypes(client, api_key):
    definition = client.get(f"{BASE}/services/IZIN-USAHA.json?lang=en").get_json()
    assert definition["service_code"] == "IZIN-USAHA"
    attributes = {a["code"]: a for a in definition["attributes"]}
    for attribute in attributes.values():
        assert set(attribute) == ATTRIBUTE_FIELDS
        assert attribute["datatype"] in DATATYPES
        assert attribute["variable"] is True
    assert [a["order"] for a in definition["attributes"]] == sorted(
        a["order"] for a in definition["attributes"])
    assert attributes["applicant_nik"]["required"] is True
    assert attributes["business_name"]["datatype"] == "string"
    assert attributes["workers"]["datatype"] == "number"
    assert attributes["start_date"]["datatype"] == "datetime"
    assert attributes["start_date"]["required"] is False
    assert attributes["sector"]["datatype"] == "singlevaluelist"
    assert attributes["sector"]["values"] == [{"key": "dagang", "name": "Perdagangan (en)"},
                                              {"key": "jasa", "name": "Jasa (en)"}]
    assert attributes["sector"]["description"] == "Sector (en)"
    assert attributes["applicant_nik"]["description"] == "Applicant's NIK"
    assert attributes["applicant_nik"]["datatype_description"] == \
        "16-digit NIK (national identity number)"
    assert attributes["has_npwp"]["values"] == [{"key": "ya", "name": "Yes"},
                                                {"key": "tidak", "name": "No"}]
    # Shown only after a yes: not required of every request.
    assert attributes["npwp_number"]["required"] is False
    root = xml(client.get(f"{BASE}/services/IZIN-USAHA.xml"))
    assert root.tag == "service_definition"
    sector = [a for a in root.findall("attributes/attribute") if a.find("code").text == "sector"][0]
    assert {child.tag for child in sector} == ATTRIBUTE_FIELDS
    assert [v.find("key").text for v in sector.findall("values/value")] == ["dagang", "jasa"]
    assert sector.find("variable").text == "true"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_in_the_error_format(client, api_key, fmt):
    response = client.get(f"{BASE}/services/NOPE.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        errors = response.get_json()
        assert errors[0]["code"] == 404 and errors[0]["description"]
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert root.find("error/code").text == "404"
        assert root.find("error/description").text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_posting_a_request_answers_its_id_token_and_notice(client, api_key, session, fmt):
    response = submit(client, api_key, fmt, account_id="warga-42")
    assert response.status_code == 201
    if fmt == "json":
        created = response.get_json()[0]
    else:
        root = xml(response)
        assert root.tag == "service_requests"
        created = {child.tag: child.text for child in root.find("request")}
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    assert created["account_id"] == "warga-42"
    stored = session.scalar(select(ServiceRequest))
    assert stored.tracking_code == created["service_request_id"]
    assert stored.channel is Channel.OPEN311
    assert stored.applicant_name == "Siti Aminah" and stored.applicant_nik == NIK
    assert stored.answers["sector"] == "jasa" and stored.answers["has_npwp"] is False
    assert "PIN" in created["service_notice"]
    assert created["service_notice"].startswith(
        f"Permohonan diterima. Kode pelacakan {format_tracking_code(stored.tracking_code)}, PIN ")


def test_the_applicant_may_come_as_attributes_too(client, api_key, session):
    response = submit(client, api_key, first_name=None, last_name=None, phone=None, **{
        "attribute[applicant_name]": "Siti Aminah", "attribute[applicant_phone]": PHONE})
    assert response.status_code == 201
    assert session.scalar(select(ServiceRequest)).applicant_phone.endswith("1234567890")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_without_an_api_key_nothing_is_posted_and_the_answer_is_403(client, api_key, session,
                                                                     fmt):
    for key in (None, "not-a-key"):
        response = submit(client, key, fmt)
        assert response.status_code == 403
    body = response.get_json() if fmt == "json" else [
        {"code": int(e.find("code").text), "description": e.find("description").text}
        for e in xml(response).findall("error")]
    assert body[0]["code"] == 403
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


def test_answers_are_validated_as_on_every_channel_and_bad_ones_are_400(client, api_key,
                                                                       session):
    response = submit(client, api_key, **{"attribute[applicant_nik]": "123",
                                          "attribute[workers]": "0",
                                          "attribute[sector]": "tambang"})
    assert response.status_code == 400
    described = " ".join(error["description"] for error in response.get_json())
    assert "applicant.nik" in described and "workers" in described and "sector" in described
    assert {error["code"] for error in response.get_json()} == {400}
    missing = submit(client, api_key, service_code="")
    assert missing.status_code == 400
    unknown = submit(client, api_key, **{"attribute[colour]": "red"})
    assert unknown.status_code == 400
    assert submit(client, api_key, service_code="NOPE").status_code == 404
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_posted_request_reads_back_without_personal_data(client, api_key, fmt):
    code = submit(client, api_key).get_json()[0]["service_request_id"]
    response = client.get(f"{BASE}/requests/{code}.{fmt}")
    assert response.status_code == 200
    for secret in (NIK, PHONE, PHONE[1:], "Siti", "Aminah", "Warung"):
        assert secret not in response.get_data(as_text=True)
    if fmt == "json":
        [record] = response.get_json()
    else:
        root = xml(response)
        assert root.tag == "service_requests"
        record = {child.tag: child.text for child in root.find("request")}
    assert set(record) == REQUEST_FIELDS
    assert record["service_request_id"] == code
    assert record["status"] == "open"
    assert record["status_notes"] == "Permohonan diterima."
    assert record["service_code"] == "IZIN-USAHA"
    assert record["requested_datetime"].endswith("+07:00")


def test_get_requests_filters_by_id_code_dates_and_status(client, api_key):
    first = submit(client, api_key).get_json()[0]["service_request_id"]
    second = submit(client, api_key).get_json()[0]["service_request_id"]

    def ids(**params):
        response = client.get(f"{BASE}/requests.json", query_string={"api_key": api_key,
                                                                    **params})
        assert response.status_code == 200, response.get_json()
        return {r["service_request_id"] for r in response.get_json()}

    assert ids() == {first, second}
    assert ids(service_request_id=f"{first},{second}") == {first, second}
    assert ids(service_request_id=first, status="closed") == {first}  # the id overrides
    assert ids(service_code="IZIN-USAHA") == {first, second}
    assert ids(service_code="OTHER") == set()
    assert ids(status="open") == {first, second}
    assert ids(status="closed") == set()
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == set()
    assert ids(start_date="2020-01-01T00:00:00+07:00") == {first, second}
    root = xml(client.get(f"{BASE}/requests.xml", query_string={"api_key": api_key}))
    assert len(root.findall("request")) == 2


@pytest.mark.parametrize("params", [{"status": "pending"}, {"start_date": "yesterday"},
                                    {"start_date": "2026-01-01T00:00:00"},
                                    {"start_date": "2026-01-01T00:00:00Z",
                                     "end_date": "2026-06-01T00:00:00Z"}])
def test_bad_filters_are_400(client, api_key, params):
    response = client.get(f"{BASE}/requests.json", query_string={"api_key": api_key, **params})
    assert response.status_code == 400
    assert response.get_json()[0]["code"] == 400


def test_listing_requests_without_a_key_names_them_by_id(client, api_key):
    code = submit(client, api_key).get_json()[0]["service_request_id"]
    assert client.get(f"{BASE}/requests.json").status_code == 403
    listed = client.get(f"{BASE}/requests.json?service_request_id={code}").get_json()
    assert [r["service_request_id"] for r in listed] == [code]


def test_an_unknown_request_is_404(client, api_key):
    response = client.get(f"{BASE}/requests/22222222J.xml")
    assert response.status_code == 404
    assert xml(response).find("error/code").text == "404"


def test_a_kiosk_request_stays_behind_its_pin(client, api_key, session):
    from tests.builders.kiosk import make_kiosk

    make_kiosk(session)
    made = client.post("/api/v1/requests", headers={"Authorization": f"Bearer {KIOSK_TOKEN}"},
                       json={"service_code": "IZIN-USAHA", "applicant": {
                           "nik": NIK, "name": "Siti Aminah", "phone": PHONE},
                           "answers": {"business_name": "W", "sector": "jasa", "workers": 1,
                                       "has_npwp": False}})
    assert made.status_code == 201
    code = made.get_json()["tracking_code"]
    assert client.get(f"{BASE}/requests/{code}.json").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_token_leads_to_its_request(client, api_key, fmt):
    created = submit(client, api_key).get_json()[0]
    response = client.get(f"{BASE}/tokens/{created['token']}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert response.get_json() == [{"service_request_id": created["service_request_id"],
                                        "token": created["token"]}]
    else:
        request = xml(response).find("request")
        assert request.find("service_request_id").text == created["service_request_id"]
        assert request.find("token").text == created["token"]
    assert client.get(f"{BASE}/tokens/{'0' * 32}.json").status_code == 404


def test_every_call_with_a_key_is_audited_without_its_body(client, api_key, session):
    submit(client, api_key)
    client.get(f"{BASE}/services.json?api_key={api_key}")
    calls = session.scalars(select(ApiKeyCall).order_by(ApiKeyCall.id)).all()
    assert [(c.method, c.route, c.status) for c in calls] == [
        ("POST", "/open311/v2/requests.<any(json,xml):fmt>", 201),
        ("GET", "/open311/v2/services.<any(json,xml):fmt>", 200)]
    assert NIK not in json.dumps([c.route for c in calls])
