"""One use case's transaction: its work commits as a whole when it succeeds, or rolls back.

Use cases never commit; the caller runs them in a unit of work, and this module is the one
place that ends a transaction."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, scoped_session

from services.errors import DomainError

AnySession = Session | scoped_session[Session]


def end_transaction(session: AnySession, error: BaseException | None = None, *,
                    keep_loaded: bool = False) -> None:
    """Commit the work if it succeeded, or failed with an error that keeps what it recorded on
    purpose (``keeps_changes``, e.g. a wrong PIN counted); otherwise roll it back.

    ``keep_loaded`` commits without expiring what was written, so reading it back costs no
    query (the submission hot path)."""
    kept = isinstance(error, DomainError) and error.keeps_changes
    if error is not None and not kept:
        session.rollback()
        return
    if isinstance(session, scoped_session):
        session = session()  # the request's own session, whose settings can change
    previous = session.expire_on_commit
    session.expire_on_commit = not keep_loaded and previous
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.expire_on_commit = previous


def discard(session: AnySession) -> None:
    """Drop whatever the transaction holds: work that must not ride along with what follows."""
    session.rollback()


class UnitOfWork:
    """``with UnitOfWork(session):`` runs use cases in one transaction, ended on leaving."""

    def __init__(self, session: AnySession, *, keep_loaded: bool = False) -> None:
        self.session = session
        self.keep_loaded = keep_loaded

    def __enter__(self) -> AnySession:
        return self.session

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        end_transaction(self.session, error, keep_loaded=self.keep_loaded)
