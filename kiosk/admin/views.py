"""The admin home page and the audit log."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk.admin import bp
from kiosk.extensions import city_calendar, clock, db
from services.catalog.holidays import next_year_notice
from services.catalog.legal_bases import services_citing_repealed
from services.models import Agency, AuditRecord, Holiday, Service, User

AUDIT_PAGE_SIZE = 100
ACTION_LABELS = {
    "create": _l("dibuat"), "update": _l("diubah"), "deactivate": _l("dinonaktifkan"),
    "activate": _l("diaktifkan"), "remove": _l("dihapus"), "publish": _l("diterbitkan"),
    "start_draft": _l("draf dimulai"), "edit_draft": _l("draf diubah"),
    "discard_draft": _l("draf dibuang"), "import": _l("katalog diimpor"),
}


@bp.app_template_global()
def audit_action(action: str) -> str:
    """An audit record's action in words; actions other features add show as they are."""
    return str(ACTION_LABELS.get(action, action))


@bp.get("/")
def index():
    counts = {
        "services": db.session.scalar(select(func.count(Service.id))),
        "agencies": db.session.scalar(select(func.count(Agency.id)).where(Agency.active.is_(True))),
        "users": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
        "holidays": db.session.scalar(select(func.count(Holiday.id))),
    }
    latest = db.session.scalars(
        select(AuditRecord).order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc()).limit(8)
    ).all()
    today = city_calendar().local_day(clock().now())
    return render_template("admin/index.html", counts=counts, records=latest,
                           actors=_actors(latest),
                           holiday_notice=next_year_notice(db.session, today),
                           repealed=services_citing_repealed(db.session))


def _actors(records) -> dict[int, str]:  # type: ignore[no-untyped-def]
    ids = {r.actor_id for r in records if r.actor_id}
    if not ids:
        return {}
    return {u.id: u.username for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


@bp.get("/audit/")
def audit():
    entity = request.args.get("entity", "")
    key = request.args.get("key", "").strip()
    query = select(AuditRecord).order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc())
    if entity:
        query = query.where(AuditRecord.entity == entity)
    if key:
        query = query.where(AuditRecord.entity_key == key)
    records = db.session.scalars(query.limit(AUDIT_PAGE_SIZE)).all()
    entities = db.session.scalars(select(AuditRecord.entity).distinct().order_by(AuditRecord.entity))
    return render_template("admin/audit.html", records=records, actors=_actors(records),
                           entity=entity, key=key, entities=list(entities),
                           limit=AUDIT_PAGE_SIZE)
