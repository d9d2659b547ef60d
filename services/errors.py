"""Domain errors; the web layer maps each kind to an HTTP status in one place.

An error carries a message code and its parameters, never prose: the web layer gives the code
its words in the visitor's language (kiosk/messages.py), once, at the edge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    """What to say, as a code (e.g. "task.held_by_other") and the values it names."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def message(code: str | Message, /, **params: Any) -> Message:
    """A Message from a code and its values (a Message is returned as it is)."""
    return code if isinstance(code, Message) else Message(code, params)


class DomainError(Exception):
    """Base of every error a use case raises on purpose: ``DomainError("code", name=value)``;
    ``fields`` maps each input's name to its message (a Message or a bare code)."""

    code = "domain_error"
    # True when the use case wrote something that must stay although it failed (a wrong PIN
    # counted towards a lockout): the web layer then commits instead of rolling back.
    keeps_changes = False

    def __init__(self, code: str | Message, /, *,
                 fields: Mapping[str, str | Message] | None = None, **params: Any) -> None:
        self.message = message(code, **params)
        super().__init__(self.message.code)
        self.fields = {name: message(said) for name, said in (fields or {}).items()}


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
