"""Service versions: drafts an administrator edits, and publishing them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.catalog.definitions import build_version, version_content, version_to_definition
from services.catalog.schema import Problem, Problems, ServiceDef, check_service
from services.clock import utcnow
from services.errors import Message, NotFound, ValidationFailed
from services.models import Agency, Category, Service, ServiceVersion, User, VersionState


class CatalogInvalid(ValidationFailed):
    """A catalog document or definition with problems; nothing of it was written."""

    code = "catalog_invalid"

    def __init__(self, problems: list[str], *, fields: Mapping[str, Message] | None = None,
                 located: Sequence[Problem] = ()) -> None:
        super().__init__("catalog.invalid", fields=fields, problems="; ".join(problems))
        self.problems = problems
        self.located = list(located)  # the same problems with the location each concerns


def agencies_by_code(session: Session) -> dict[str, Agency]:
    return {agency.code: agency for agency in session.scalars(select(Agency))}


def check_definition(session: Session, definition: Mapping[str, Any], where: str) -> ServiceDef:
    """The definition typed; CatalogInvalid unless it fits the agencies and categories on file."""
    problems = Problems()
    categories = set(session.scalars(select(Category.code)))
    checked = check_service(definition, where, problems, set(agencies_by_code(session)),
                            categories)
    if checked is None:
        raise CatalogInvalid(problems.messages, located=problems.found)
    return checked


def _next_number(session: Session, service: Service) -> int:
    highest = session.scalar(
        select(func.max(ServiceVersion.number)).where(ServiceVersion.service_id == service.id)
    )
    return (highest or 0) + 1


def _same_content(session: Session, version: ServiceVersion,
                  definition: Mapping[str, Any]) -> bool:
    """Compare through a transient version, so defaults are filled in the same way."""
    with session.no_autoflush:
        candidate = build_version(None, 0, definition, agencies_by_code(session),
                                  VersionState.DRAFT)
        return version_content(version) == version_content(candidate)


def _make_current(service: Service, version: ServiceVersion) -> None:
    if service.current_version is not None and service.current_version is not version:
        service.current_version.state = VersionState.RETIRED
    version.state = VersionState.PUBLISHED
    version.published_at = utcnow()
    service.current_version = version


def publish_definition(session: Session, service: Service, definition: Mapping[str, Any],
                       *, actor: User | None = None) -> ServiceVersion | None:
    """Publish a checked definition as a new version; None when it changes nothing."""
    current = service.current_version
    if current is not None and _same_content(session, current, definition):
        return None
    version = build_version(service, _next_number(session, service), definition,
                            agencies_by_code(session), VersionState.PUBLISHED)
    session.add(version)
    session.flush()
    _make_current(service, version)
    session.flush()
    record_audit(session, actor, "publish", "service", service.code, {"version": version.number})
    return version


def get_service(session: Session, code: str) -> Service:
    service = session.scalar(select(Service).where(Service.code == code))
    if service is None:
        raise NotFound("service.not_found", code=code)
    return service


def draft_of(service: Service) -> ServiceVersion | None:
    return next((v for v in service.versions if v.state is VersionState.DRAFT), None)


def start_draft(session: Session, code: str, *, actor: User | None) -> ServiceVersion:
    """Return the service's draft, copying the current version into a new one if needed."""
    service = get_service(session, code)
    if (draft := draft_of(service)) is not None:
        return draft
    if service.current_version is None:
        raise NotFound("service.no_version_to_copy", code=code)
    definition = version_to_definition(service, service.current_version)
    draft = build_version(service, _next_number(session, service), definition,
                          agencies_by_code(session), VersionState.DRAFT)
    session.add(draft)
    session.flush()
    record_audit(session, actor, "start_draft", "service", code, {"version": draft.number})
    return draft


def draft_definition(session: Session, code: str, *, actor: User | None) -> dict[str, Any]:
    """The definition an administrator edits: the draft's, started if needed."""
    draft = start_draft(session, code, actor=actor)
    return version_to_definition(draft.service, draft)


def save_draft(session: Session, code: str, definition: Mapping[str, Any], *,
               actor: User | None) -> ServiceVersion:
    """Replace the draft's content with an edited definition, after checking it whole."""
    service = get_service(session, code)
    merged = {**definition, "code": code}
    check_definition(session, merged, f"service {code}")
    old = start_draft(session, code, actor=actor)
    before = version_to_definition(service, old)
    number = old.number
    _remove_version(session, service, old)
    draft = build_version(service, number, merged, agencies_by_code(session), VersionState.DRAFT)
    session.add(draft)
    if merged.get("category") and merged["category"] != service.category.code:
        service.category = session.scalar(select(Category).where(Category.code == merged["category"]))
    session.flush()
    changed = sorted(k for k in merged if before.get(k) != merged.get(k) and k != "code")
    record_audit(session, actor, "edit_draft", "service", code,
                 {"version": number, "changed": changed})
    return draft


def _remove_version(session: Session, service: Service, version: ServiceVersion) -> None:
    session.delete(version)
    session.flush()
    session.expire(service, ["versions"])


def decree_missing(version: ServiceVersion) -> bool:
    """Whether a version lacks what UU 25/2009 Pasal 20 asks before a standard is set: its SK
    penetapan (number and date) and at least one public consultation."""
    return not (version.decree_number and version.decree_date and version.consultations)


def publish_draft(session: Session, code: str, *, actor: User | None,
                  needs_decree: bool = False) -> ServiceVersion:
    """Publish the draft as the service's current version; requests keep their old version.
    A city that asks for it (``needs_decree``) publishes no version without its SK penetapan
    and a public consultation."""
    service = get_service(session, code)
    draft = draft_of(service)
    if draft is None:
        raise NotFound("service.no_draft", code=code)
    if needs_decree and decree_missing(draft):
        raise ValidationFailed("service.needs_decree", code=code)
    check_definition(session, version_to_definition(service, draft), f"service {code}")
    _make_current(service, draft)
    session.flush()
    record_audit(session, actor, "publish", "service", code, {"version": draft.number})
    return draft


def discard_draft(session: Session, code: str, *, actor: User | None) -> None:
    service = get_service(session, code)
    draft = draft_of(service)
    if draft is None:
        return
    _remove_version(session, service, draft)
    record_audit(session, actor, "discard_draft", "service", code, {"version": draft.number})


def set_service_active(session: Session, code: str, active: bool, *, actor: User | None) -> Service:
    service = get_service(session, code)
    service.active = active
    record_audit(session, actor, "activate" if active else "deactivate", "service", code, {})
    return service
