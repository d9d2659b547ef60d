"""M1/M2: bad input answers a clear 4xx with a field error, changes nothing, never a 500."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from kiosk.input_guard import MAX_JSON_DEPTH, json_depth
from services.models import FieldType, FormField, ServiceRequest
from services.text import has_forbidden_character
from services.validation import FieldInvalid, clean_answer, clean_name, clean_phone
from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE, make_business_catalog, make_kiosk

AUTH = {"Authorization": f"Bearer {KIOSK_TOKEN}"}


# --- pure checks -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "bad"), [
    ("Siti Aminah", False), ("baris 1\r\nbaris 2\tkolom", False), ("Jl. Raya № 5 — ok", False),
    ("a\x00b", True), ("\x07", True), ("\x1b[31m", True), ("\x7f", True), ("\x85", True),
    ("\ud800", True), ("x\udfffy", True),
])
def test_control_characters_and_lone_surrogates_are_forbidden(text, bad):
    assert has_forbidden_character(text) is bad


@pytest.mark.parametrize(("text", "depth"), [
    ("{}", 1), ("[[[]]]", 3), ('{"a": "[[[[{{{"}', 1), ('["\\"[["]', 1), ("1", 0),
    ("[" * 5000 + "]" * 5000, 5000),
])
def test_json_depth_counts_brackets_outside_strings(text, depth):
    assert json_depth(text) == depth


@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999",
                                 float("nan"), float("inf"), "１２３", "٣"])
def test_numbers_must_be_finite_ascii_numbers(raw):
    field = FormField(key="workers", type=FieldType.NUMBER, constraints={"min": 1, "max": 500})
    with pytest.raises(FieldInvalid) as refused:
        clean_answer(field, raw, today=None)
    assert refused.value.key == "number"


@pytest.mark.parametrize("raw", [{"a": 1}, ["x"], True, float("nan"), "a\x00b"])
def test_text_fields_take_text_only(raw):
    field = FormField(key="business_name", type=FieldType.TEXT, constraints={})
    with pytest.raises(FieldInvalid):
        clean_answer(field, raw, today=None)


@pytest.mark.parametrize("phone", ["０８１２３４５６７８９０", "08１２34567890", "٠٨١٢٣٤٥٦٧٨٩٠"])
def test_phones_take_ascii_digits_only(phone):
    with pytest.raises(FieldInvalid):
        clean_phone(phone)


@pytest.mark.parametrize("name", ["\u200b\u200b\u200b", "\u202e\u202d", "\u200c\u200d\ufeff",
                                  "Siti\u202eAminah", "12", "--"])
def test_names_need_visible_letters_and_nothing_invisible(name):
    with pytest.raises(FieldInvalid):
        clean_name(name)


# --- through the API -------------------------------------------------------------------------

@pytest.fixture
def kiosk(app, session):
    make_business_catalog(session)
    return make_kiosk(session)


def payload(**answers):
    return {"service_code": "IZIN-USAHA", "language": "en",
            "applicant": {"nik": NIK, "name": "Siti Aminah", "phone": PHONE},
            "answers": {"business_name": "Warung", "sector": "jasa", "workers": 2,
                        "has_npwp": False, **answers}}


def post_raw(client, text, key="k-1"):
    return client.post("/api/v1/requests", data=text, content_type="application/json",
                       headers={**AUTH, "Idempotency-Key": key})


def stored(session):
    session.rollback()
    return session.scalar(select(func.count()).select_from(ServiceRequest))


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_json_numbers_are_refused_with_a_field_error(client, kiosk, session, literal):
    text = json.dumps(payload(workers=12345)).replace("12345", literal)
    response = post_raw(client, text)
    assert response.status_code == 422
    assert "answers.workers" in response.get_json()["error"]["fields"]
    assert stored(session) == 0


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "NaN"])
def test_nan_and_inf_strings_are_refused_in_number_fields(client, kiosk, session, value):
    response = post_raw(client, json.dumps(payload(workers=value)))
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert list(fields) == ["workers"] and fields["workers"].startswith("Enter a number")
    assert stored(session) == 0


@pytest.mark.parametrize("name", ["Siti\x00Aminah", "Siti\\ud800Aminah"])
def test_nul_and_lone_surrogates_in_a_name_are_a_field_error(client, kiosk, session, name):
    body = payload()
    body["applicant"]["name"] = "NAME"
    response = post_raw(client, json.dumps(body).replace("NAME", name.replace("\x00", "\\u0000")))
    assert response.status_code == 422
    assert "applicant.name" in response.get_json()["error"]["fields"]
    assert stored(session) == 0


def test_an_object_in_a_text_field_is_refused_not_stored_as_repr(client, kiosk, session):
    response = post_raw(client, json.dumps(payload(business_name={"$gt": ""})))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"business_name": "Enter text."}
    assert stored(session) == 0


def test_json_nested_thousands_deep_is_a_400(client, kiosk):
    response = post_raw(client, '{"answers": ' + "[" * 5000 + "]" * 5000 + "}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    inner = MAX_JSON_DEPTH - 1  # the body object is the first level
    shallow = {"answers": json.loads("[" * inner + "]" * inner)}
    assert post_raw(client, json.dumps(shallow), key="k-2").status_code == 422


def test_a_body_over_the_size_limit_is_a_413_in_the_json_format(app, client, kiosk):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    big = json.dumps(payload(business_name="x" * (2 * 1024 * 1024)))
    response = post_raw(client, big)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    lookup = client.post("/api/v1/requests/lookup", data=big, content_type="application/json")
    assert lookup.status_code == 413


def test_a_blank_idempotency_key_is_refused_not_taken_as_none(client, kiosk, session):
    response = post_raw(client, json.dumps(payload()), key="   ")
    assert response.status_code == 400
    assert "Idempotency-Key" in response.get_json()["error"]["fields"]
    assert stored(session) == 0


def test_405_answers_say_which_methods_are_allowed(client):
    api = client.get("/api/v1/requests/lookup")
    assert api.status_code == 405 and "POST" in api.headers["Allow"]
    assert api.get_json()["error"]["code"] == "method_not_allowed"
    page = client.delete("/status")
    assert page.status_code == 405 and "POST" in page.headers["Allow"]


def test_the_heartbeat_refuses_control_characters(client, kiosk):
    response = client.post("/api/v1/kiosk/heartbeat", headers=AUTH,
                           json={"printer_state": "ready", "client_version": "1.0\x00"})
    assert response.status_code == 422
    assert "client_version" in response.get_json()["error"]["fields"]


# --- pages -----------------------------------------------------------------------------------

def test_nul_in_the_login_answers_400_not_500(client):
    response = client.post("/auth/login", data={"username": "admin\x00", "password": "x"})
    assert response.status_code == 400
    assert "karakter yang tidak diizinkan" in response.get_data(as_text=True)


def test_nul_in_kiosk_search_and_paths_answers_400_not_500(client, kiosk):
    from tests.builders.kiosk import enrol

    enrol(client)
    assert client.get("/kiosk/?q=a%00b").status_code == 400
    assert client.get("/kiosk/services/IZIN%00USAHA").status_code in (400, 404)


def test_a_percent_in_kiosk_search_is_literal(client, kiosk):
    from tests.builders.kiosk import enrol

    enrol(client)
    page = client.get("/kiosk/?q=%25").get_data(as_text=True)
    assert "IZIN-USAHA" not in page and "Service IZIN-USAHA" not in page
    found = client.get("/kiosk/?q=izin").get_data(as_text=True)
    assert "Service IZIN-USAHA" in found


def test_ids_beyond_the_database_range_answer_404(admin_client):
    for url in ("/admin/users/99999999999999999999/edit", "/admin/users/2147483648/edit",
                "/admin/holidays/9223372036854775808/edit"):
        assert admin_client.get(url).status_code == 404
    assert admin_client.get("/admin/holidays/?year=99999999999999999999").status_code == 200
