"""API keys for other systems: issuing, revoking, checking a presented key, auditing calls."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from limits import parse_many
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.clock import utcnow
from services.codes import hash_token
from services.errors import NotAllowed, NotFound, Unauthenticated, ValidationFailed
from services.models import ApiKey, ApiKeyCall, Scope, User

DEFAULT_RATE_LIMIT = "60 per minute"
KEY_PREFIX = "ek_"
PREFIX_LENGTH = 10  # "ek_" and seven characters: enough to tell keys apart, useless to guess


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str  # shown once to the administrator, stored only as a hash


def check_rate_limit(text: str) -> str:
    """A rate limit in Flask-Limiter notation ("60 per minute", "1000/day"), or ValidationFailed."""
    cleaned = " ".join(text.split())
    try:
        if not cleaned or not parse_many(cleaned):
            raise ValueError(cleaned)
    except ValueError as error:
        raise ValidationFailed("apikey.rate_limit_format",
                               fields={"rate_limit": "apikey.rate_limit_format"}) from error
    return cleaned


def check_scopes(scopes: Iterable[str]) -> list[str]:
    known = {scope.value for scope in Scope}
    chosen = sorted(set(scopes))
    if not chosen or any(scope not in known for scope in chosen):
        raise ValidationFailed("apikey.scope_required", fields={"scopes": "apikey.scope_required"})
    return chosen


def issue_api_key(session: Session, *, name: str, owner_system: str, scopes: Iterable[str],
                  rate_limit: str = DEFAULT_RATE_LIMIT, actor: User | None,
                  secret: str | None = None) -> IssuedKey:
    """Make a key; its value is returned once and only its hash is kept."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "field.required"
    if not owner_system.strip():
        errors["owner_system"] = "field.required"
    if errors:
        raise ValidationFailed("answers.need_fixing", fields=errors)
    chosen, limit = check_scopes(scopes), check_rate_limit(rate_limit)
    value = secret or KEY_PREFIX + secrets.token_urlsafe(32)
    if session.scalar(select(ApiKey.id).where(ApiKey.key_hash == hash_token(value))):
        raise ValidationFailed("apikey.value_taken")
    key = ApiKey(name=name.strip(), owner_system=owner_system.strip(),
                 prefix=value[:PREFIX_LENGTH], key_hash=hash_token(value), scopes=chosen,
                 rate_limit=limit, created_by_id=actor.id if actor else None)
    session.add(key)
    session.flush()
    record_audit(session, actor, "issue", "api_key", key.prefix,
                 {"name": key.name, "owner_system": key.owner_system, "scopes": chosen,
                  "rate_limit": limit})
    return IssuedKey(key, value)


def get_api_key(session: Session, key_id: int) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("apikey.not_found")
    return key


def revoke_api_key(session: Session, key_id: int, *, actor: User | None) -> ApiKey:
    """Revoke a key: the next call that presents it is refused."""
    key = get_api_key(session, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        record_audit(session, actor, "revoke", "api_key", key.prefix, {"name": key.name})
    return key


def api_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.revoked_at.is_not(None),
                                                        ApiKey.created_at.desc())))


def find_api_key(session: Session, presented: str | None) -> ApiKey | None:
    """The key with this value, live or revoked (its calls are audited either way)."""
    if not presented:
        return None
    return session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_token(presented)))


def authenticate_api_key(key: ApiKey | None) -> ApiKey:
    """The key if it is live; Unauthenticated when missing, unknown or revoked."""
    if key is None or key.revoked_at is not None:
        raise Unauthenticated("apikey.unknown")
    return key


def require_scope(key: ApiKey, scope: Scope) -> None:
    """Authorisation: the key must carry the scope the call needs."""
    if not key.allows(scope):
        raise NotAllowed("apikey.scope_missing", scope=scope.value)


def record_api_call(session: Session, key_id: int | None, *, method: str, route: str,
                    status: int, at: datetime | None = None) -> None:
    """Audit one call made with a key (never its body) and mark the key as used; ``key_id``
    None records a call with a key nobody holds (refused)."""
    at = at or utcnow()
    session.add(ApiKeyCall(api_key_id=key_id, method=method[:10], route=route[:200],
                           status=status, at=at))
    key = session.get(ApiKey, key_id) if key_id is not None else None
    if key is not None:
        key.last_used_at = at


def api_key_calls(session: Session, *, key_id: int | None = None,
                  limit: int = 200) -> list[ApiKeyCall]:
    query = select(ApiKeyCall).order_by(ApiKeyCall.id.desc()).limit(limit)
    if key_id is not None:
        query = query.where(ApiKeyCall.api_key_id == key_id)
    return list(session.scalars(query))


def refused_key_calls(session: Session, *, since: datetime) -> int:
    """How many calls presented a key nobody holds since a time (guessing shows here)."""
    return int(session.scalar(select(func.count()).select_from(ApiKeyCall).where(
        ApiKeyCall.api_key_id.is_(None), ApiKeyCall.at >= since)) or 0)


def ensure_demo_api_key(session: Session, value: str) -> ApiKey:
    """The demo key with this value and every scope (KIOSK_DEMO_API_KEY); repeatable."""
    existing = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_token(value)))
    if existing is not None:
        existing.revoked_at = None
        existing.scopes = [scope.value for scope in Scope]
        return existing
    return issue_api_key(session, name="Demo", owner_system="Kota Contoh demo",
                         scopes=[scope.value for scope in Scope], actor=None,
                         secret=value).key
