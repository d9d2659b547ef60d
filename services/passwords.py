"""Staff password and username rules: a breached-password list shipped with the code (no
network at run time), a minimum length, and usernames that cannot be spoofed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from services.errors import Message

MIN_PASSWORD_LENGTH = 10
# zxcvbn's 0-4 guessability score; 3 means "safely unguessable" against an online attack
# and a throttled offline one (repeats, sequences, keyboard walks and dictionary words score low).
MIN_PASSWORD_SCORE = 3
ZXCVBN_MAX_LENGTH = 72

TOO_SHORT = "password.too_short"  # with limit=MIN_PASSWORD_LENGTH
BREACHED = "password.breached"
GUESSABLE = "password.guessable"
USERNAME_INVISIBLE = "username.invisible_characters"

# Unicode categories a username may never hold: controls, format characters (zero-width,
# bidi overrides), surrogates, private use, unassigned, and every kind of space.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


@lru_cache(maxsize=1)
def breached_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of public breaches, as zxcvbn ships them (MIT)."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, context: Iterable[str] = ()) -> Message | None:
    """Why this password may not be used, or None: too short, breached, or guessable
    (``context`` holds the user's own words: username, name, e-mail)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return Message(TOO_SHORT, {"limit": MIN_PASSWORD_LENGTH})
    if password.lower() in breached_passwords():
        return Message(BREACHED)
    words = sorted({w for text in context for w in re.split(r"[^\w]+", text.lower()) if w})
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=words)["score"] < MIN_PASSWORD_SCORE:
        return Message(GUESSABLE)
    return None


def normalise_username(raw: str) -> str:
    """The one spelling of a username: NFKC, lower case, no surrounding blanks. ``ADMIN`` and
    full-width ``ａｄｍｉｎ`` both become ``admin``."""
    return unicodedata.normalize("NFKC", raw or "").strip().lower()


def username_problem(raw: str) -> Message | None:
    """Refuse usernames holding invisible characters (``admin`` + zero-width space)."""
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in normalise_username(raw)):
        return Message(USERNAME_INVISIBLE)
    return None


class PasswordHasher:
    """Hashes staff passwords and checks them (werkzeug's default method unless one is named,
    e.g. a cheap one in tests); the app builds one in create_app and hands it to the use cases."""

    def __init__(self, method: str | None = None) -> None:
        self.method = method
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        if self.method is None:
            return generate_password_hash(password)
        return generate_password_hash(password, method=self.method)

    def matches(self, stored: str, password: str) -> bool:
        return check_password_hash(stored, password)

    def waste_a_check(self, password: str) -> None:
        """Check a password against a dummy hash, so an unknown user takes as long to refuse as
        a wrong password does."""
        if self._dummy is None:
            self._dummy = self.hash("not-a-real-password")
        check_password_hash(self._dummy, password)


# The hasher a use case falls back on when its caller (a test, a script) gives none.
DEFAULT_HASHER = PasswordHasher()
