"""The web side of berkas digital: the storage seam built from the configuration, uploads from
the kiosk and the phone, and the clerk's document viewer."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Response, current_app

from services.berkas.files import Berkas, read_upload
from services.berkas.rendering import page_picture
from services.berkas.sealing import Keyring
from services.berkas.storage import BucketStore, FolderStore, bucket_client
from services.models import Upload


def build_berkas(config: Mapping[str, Any], instance_path: str) -> Berkas:
    """The storage seam the configuration names (called once, in create_app)."""
    keys = config.get("BERKAS_KEYS") or ""
    if keys:
        keyring = Keyring.parse(keys)
    elif config.get("TESTING") or config.get("DEMO_MODE"):
        keyring = Keyring.derived(str(config["SECRET_KEY"]))
    else:
        keyring = Keyring.parse(_instance_keys(instance_path))
    if config.get("BERKAS_STORAGE") == "s3":
        client = bucket_client(config.get("BERKAS_S3_ENDPOINT"), config.get("BERKAS_S3_REGION"))
        return Berkas(BucketStore(client, config["BERKAS_S3_BUCKET"],
                                  config.get("BERKAS_S3_PREFIX") or "berkas/"), keyring)
    return Berkas(FolderStore(config["BERKAS_FOLDER"]), keyring)


def _instance_keys(instance_path: str) -> str:
    """A sealing key of its own kept in the instance folder, made once (0600)."""
    import base64
    import os

    path = Path(instance_path) / "berkas_keys"
    if not path.exists():
        key = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w") as out:
            out.write(f"k1:{key}")
    return path.read_text().strip()


def berkas() -> Berkas:
    """The app's storage seam."""
    return current_app.extensions["berkas"]  # type: ignore[no-any-return]


def picture_response(upload: Upload, page: int = 1) -> Response:
    """One page of a stored document as a picture: never cached, shown inline."""
    picture, media_type = page_picture(read_upload(berkas(), upload), upload.media_type, page)
    response = Response(picture, mimetype=media_type)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


def complaint_photo_response(code: str, token: str) -> Response:
    """A complainant's photo for the staff member asking (the coordinator, or an agency the
    complaint went to), the view audited: one view behind both staff pages' photo routes."""
    from kiosk.auth import current_staff
    from kiosk.extensions import db, unit_of_work
    from services.berkas.evidence import view_complaint_photo

    with unit_of_work(keep_loaded=True):
        upload = view_complaint_photo(db.session, current_staff(), code, token)
    return picture_response(upload)
