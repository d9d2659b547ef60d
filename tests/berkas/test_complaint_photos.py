"""Complaints take photos as evidence: pictures only, three at most, re-encoded so no GPS of the
complainant's phone survives, linked when filed, seen by the coordinator and the agencies it
was forwarded to (each view audited), and by no other agency."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from services.berkas.evidence import complaint_photos, view_complaint_photo
from services.berkas.files import read_upload, receive_upload
from services.city_calendar import DEFAULT_CALENDAR
from services.complaints.handling import forward_complaint
from services.errors import NotFound, ValidationFailed
from services.models import AuditRecord
from tests.builders import WEDNESDAY
from tests.builders.berkas import jpeg, pdf
from tests.builders.complaints import file, make_complaint_city


@pytest.fixture
def city(session):
    return make_complaint_city(session)


def photo(session, berkas, data=None):
    return receive_upload(session, berkas, data=data or jpeg(gps=True), filename="antre.jpg",
                          source="web", now=WEDNESDAY).token


def test_a_complaint_carries_its_photos_without_gps(session, city, berkas):
    filed = file(session, photos=(photo(session, berkas),))
    photos = complaint_photos(session, filed.complaint)
    assert len(photos) == 1 and filed.complaint.events[0].data["photos"] == 1
    picture = Image.open(BytesIO(read_upload(berkas, photos[0])))
    assert dict(picture.getexif()) == {}


@pytest.mark.parametrize(("make", "said"), [
    (lambda s, b: (receive_upload(s, b, data=pdf(), filename="a.pdf", source="web",
                                  now=WEDNESDAY).token,), "berkas.type_not_accepted"),
    (lambda s, b: ("upl_never-uploaded",), "berkas.no_such_upload"),
    (lambda s, b: tuple(photo(s, b, jpeg(10 + n, 10)) for n in range(4)),
     "berkas.too_many_files"),
])
def test_a_wrong_photo_is_refused_and_nothing_is_filed(session, city, berkas, make, said):
    with pytest.raises(ValidationFailed) as refused:
        file(session, photos=make(session, berkas))
    assert refused.value.fields["photos"].code == said


def test_only_the_coordinator_and_the_forwarded_agency_see_a_photo(session, city, berkas):
    filed = file(session, photos=(photo(session, berkas),))
    code, token = filed.complaint.tracking_code, complaint_photos(session, filed.complaint)[0].token
    assert view_complaint_photo(session, city["koordinator"], code, token).token == token
    with pytest.raises(NotFound):
        view_complaint_photo(session, city["clerk.dinkes"], code, token)
    forward_complaint(session, actor=city["koordinator"], tracking_code=code,
                      agency_codes=["DINKES"], now=WEDNESDAY, calendar=DEFAULT_CALENDAR)
    assert view_complaint_photo(session, city["clerk.dinkes"], code, token).token == token
    with pytest.raises(NotFound):
        view_complaint_photo(session, city["clerk.dlh"], code, token)
    views = session.scalars(select(AuditRecord).where(AuditRecord.entity_key == token)).all()
    assert [v.changes["complaint"] for v in views] == [code, code]


def test_the_api_files_a_complaint_with_a_photo_upload(app, client, session, city, berkas):
    from tests.builders import PHONE
    from tests.builders.berkas import multipart
    from tests.builders.kiosk import KIOSK_TOKEN, make_kiosk

    app.extensions["berkas"] = berkas
    make_kiosk(session)
    auth = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
    body, content_type = multipart(jpeg(gps=True), "jalan.jpg")
    token = client.post("/api/v1/uploads", headers=auth, data=body,
                        content_type=content_type).get_json()["upload_id"]
    filed = client.post("/api/v1/complaints", headers={**auth, "Idempotency-Key": "c-1"}, json={
        "category": "jalan", "description": "Jalan berlubang di depan pasar sejak bulan lalu.",
        "privacy": "public", "complainant": {"name": "Budi", "phone": PHONE},
        "photos": [token]})
    assert filed.status_code == 201, filed.get_json()
    refused = client.post("/api/v1/complaints", headers={**auth, "Idempotency-Key": "c-2"},
                          json={"category": "jalan", "description": "Lampu jalan mati.",
                                "privacy": "anonymous", "photos": "not-a-list"})
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"photos"}


def test_the_coordinator_and_the_forwarded_clerk_see_the_photos_on_their_pages(
        app, client, session, city, berkas):
    from tests.builders import login

    app.extensions["berkas"] = berkas
    filed = file(session, photos=(photo(session, berkas),))
    code = filed.complaint.tracking_code
    token = complaint_photos(session, filed.complaint)[0].token
    session.commit()
    login(client, "koordinator.pengaduan")
    page = client.get(f"/koordinator/pengaduan/{code}").get_data(as_text=True)
    assert f"/koordinator/pengaduan/{code}/foto/{token}" in page
    shown = client.get(f"/koordinator/pengaduan/{code}/foto/{token}")
    assert shown.mimetype == "image/jpeg" and shown.headers["Cache-Control"] == "no-store"
    forward_complaint(session, actor=city["koordinator"], tracking_code=code,
                      agency_codes=["DINKES"], now=WEDNESDAY, calendar=DEFAULT_CALENDAR)
    session.commit()
    client.post("/auth/logout")
    login(client, "clerk.dinkes")
    assert f"/clerk/pengaduan/{code}/foto/{token}" in client.get(
        f"/clerk/pengaduan/{code}").get_data(as_text=True)
    assert client.get(f"/clerk/pengaduan/{code}/foto/{token}").status_code == 200
    client.post("/auth/logout")
    login(client, "clerk.dlh")
    assert client.get(f"/clerk/pengaduan/{code}/foto/{token}").status_code == 404
