"""Photos as evidence of a complaint: pictures only (re-encoded on upload, so no EXIF or GPS of
the complainant's phone survives), a few at most, linked when the complaint is filed, and seen
only by those who may see the complaint (the coordinator, the agencies it was forwarded to),
every view audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.berkas.files import loose_uploads
from services.complaints.access import complaint_for_coordinator, forwarding_for_staff
from services.errors import Message, NotFound, ValidationFailed
from services.models import Complaint, Role, Upload, User

PHOTO_TYPES = ("image/jpeg", "image/png")
MAX_PHOTOS = 3


def checked_photos(session: Session, tokens: Sequence[str], *,
                   now: datetime) -> tuple[list[Upload], dict[str, Message]]:
    """The loose uploads the complaint names as photos, and a field error when one is missing,
    is not a picture, or there are too many."""
    if not tokens:
        return [], {}
    if len(tokens) > MAX_PHOTOS:
        return [], {"photos": Message("berkas.too_many_files", {"max_files": MAX_PHOTOS})}
    try:
        uploads = loose_uploads(session, {"photos": list(tokens)}, now=now)["photos"]
    except ValidationFailed:
        return [], {"photos": Message("berkas.no_such_upload")}
    if any(upload.media_type not in PHOTO_TYPES for upload in uploads):
        return [], {"photos": Message("berkas.type_not_accepted")}
    return uploads, {}


def link_to_complaint(complaint: Complaint, uploads: Sequence[Upload], now: datetime) -> None:
    for upload in uploads:
        upload.complaint_id = complaint.id
        upload.requirement_key = "photo"
        upload.linked_at = now


def complaint_photos(session: Session, complaint: Complaint) -> list[Upload]:
    return list(session.scalars(select(Upload).where(Upload.complaint_id == complaint.id)
                                .order_by(Upload.id)))


def view_complaint_photo(session: Session, actor: User, tracking_code: str,
                         token: str) -> Upload:
    """A photo of a complaint the actor may see, the view audited."""
    if actor.role is Role.COORDINATOR:
        complaint = complaint_for_coordinator(session, actor, tracking_code)
    else:
        complaint = forwarding_for_staff(session, actor, tracking_code).complaint
    upload = session.scalar(select(Upload).where(Upload.token == token,
                                                 Upload.complaint_id == complaint.id))
    if upload is None:
        raise NotFound("berkas.no_such_upload")
    record_audit(session, actor, "view", "berkas_upload", token,
                 {"complaint": complaint.tracking_code})
    return upload
