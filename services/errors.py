"""Domain errors; the web layer maps each kind to an HTTP status in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a use case raises on purpose."""

    code = "domain_error"
    # True when the use case wrote something that must stay although it failed (a wrong PIN
    # counted towards a lockout): the web layer then commits instead of rolling back.
    keeps_changes = False

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError):
    code = "not_found"


class ValidationFailed(DomainError):
    """Input broke a rule; ``fields`` maps each field to its message."""

    code = "validation_failed"


class InvalidTransition(DomainError):
    """A status change that the transition table does not allow."""

    code = "invalid_transition"


class Conflict(DomainError):
    code = "conflict"


class NotAllowed(DomainError):
    """The actor may not do this (authorisation, decided in the domain)."""

    code = "forbidden"


class Unauthenticated(DomainError):
    code = "unauthenticated"
