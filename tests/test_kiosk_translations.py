"""Every text of the kiosk's screens has its English."""

from __future__ import annotations

from pathlib import Path

import yaml
from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}


def kiosk_messages(*folders: Path) -> set[str]:
    """The texts marked for translation in the folders (the kiosk's by default)."""
    found: set[str] = set()
    for folder in folders or (ROOT / "kiosk" / "kiosk_ui", ROOT / "templates" / "kiosk"):
        for _, _, message, _, _ in extract_from_dir(str(folder), METHODS, keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_kiosk_text_has_an_english_translation():
    english = yaml.safe_load((ROOT / "kiosk" / "kiosk_ui" / "en.yaml").read_text())["messages"]
    messages = kiosk_messages()
    assert len(messages) > 50
    assert sorted(messages - set(english)) == []
    assert all(english[m].strip() for m in messages)
