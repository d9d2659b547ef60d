"""The documents step of an application at the kiosk (and on the web form it serves): each
document the answers ask for, chosen or photographed (a document camera or a phone's camera
through the file input), checked and stored as a loose upload at once, shown as a preview with
"Ganti" and "Hapus", and named in the submission."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from kiosk.anjungan import bp
from kiosk.anjungan.draft import save_draft
from kiosk.berkas import berkas, picture_response
from kiosk.extensions import clock, db, takes_files, unit_of_work
from kiosk.messages import error_text
from services.berkas.files import receive_upload
from services.berkas.inspection import UploadRefused
from services.catalog.definitions import version_requirements
from services.catalog.requirements import Requirement, documents_asked
from services.models import Service, Upload


def asked_documents(service: Service, answers: dict[str, Any]) -> list[Requirement]:
    """The documents the draft's answers ask for."""
    assert service.current_version is not None
    return documents_asked(version_requirements(service.current_version), answers)


def draft_documents(draft: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The draft's documents by requirement: upload id, file name, type and pages of each."""
    return draft.setdefault("documents", {})


def submitted_documents(draft: dict[str, Any], service: Service) -> dict[str, list[str]]:
    """The upload ids the submission names, for the documents the answers still ask for."""
    asked = {r.key for r in asked_documents(service, draft["answers"])}
    return {key: [item["token"] for item in items]
            for key, items in draft_documents(draft).items() if key in asked and items}


def _found() -> tuple[dict[str, Any], Service] | Response:
    from kiosk.anjungan.views import _draft_with_applicant

    return _draft_with_applicant()


@bp.route("/apply/berkas", methods=["GET", "POST"])
@takes_files
def documents() -> Any:
    found = _found()
    if isinstance(found, Response):
        return found
    draft, service = found
    asked = asked_documents(service, draft["answers"])
    chosen = draft_documents(draft)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        for requirement in asked:
            files = [f for f in request.files.getlist(f"berkas_{requirement.key}") if f.filename]
            for file in files:
                try:
                    with unit_of_work(keep_loaded=True):
                        upload = receive_upload(
                            db.session, berkas(), data=file.read(), filename=file.filename or "",
                            source=f"kiosk:{_kiosk_code()}", now=clock().now(),
                            requirement=requirement)
                except UploadRefused as refused:
                    errors.setdefault(requirement.key, []).append(
                        f"{file.filename}: {error_text(refused)}")
                    continue
                kept = chosen.setdefault(requirement.key, [])
                if len(kept) >= requirement.max_files:  # one file: the new one replaces it
                    kept.pop(0)
                kept.append({"token": upload.token, "filename": upload.filename,
                             "media_type": upload.media_type, "pages": upload.pages})
        save_draft(draft)
        if not errors and request.form.get("next") == "1":
            return redirect(url_for("anjungan.check"))
    from kiosk.anjungan.views import _progress

    return render_template("kiosk/documents.html", service=service, asked=asked,
                           chosen=chosen, errors=errors, step=_progress(service, "berkas"),
                           back=url_for("anjungan.check")), 422 if errors else 200


def _kiosk_code() -> str:
    from flask import g

    return getattr(getattr(g, "kiosk", None), "code", "web")


@bp.post("/apply/berkas/<key>/<int(max=19):index>/remove")
def remove_document(key: str, index: int) -> Response:
    found = _found()
    if isinstance(found, Response):
        return found
    draft, _service = found
    items = draft_documents(draft).get(key, [])
    if index < len(items):
        items.pop(index)
        save_draft(draft)
    return redirect(url_for("anjungan.documents"))


@bp.get("/apply/berkas/<token>/preview")
def preview_document(token: str) -> Response:
    """The first page of a document in this citizen's draft (never another's)."""
    found = _found()
    if isinstance(found, Response):
        return found
    draft, _service = found
    if not any(item["token"] == token for items in draft_documents(draft).values()
               for item in items):
        abort(404)
    upload = db.session.scalar(select(Upload).where(Upload.token == token))
    if upload is None:
        abort(404)
    return picture_response(upload)



