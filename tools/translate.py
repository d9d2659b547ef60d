"""Fill a package's English catalogue from a YAML map of Indonesian source text to English,
then compile it: ``python tools/translate.py kiosk/clerk`` reads kiosk/clerk/en.yaml (its
``messages``, and optionally ``contexts`` of messages for pgettext).

Extraction takes the package's Python files and the templates folder named in the YAML's
``templates`` key, so each blueprint keeps its own catalogue and none clash."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

LOCALES = ("en", "id")


def build(package: Path) -> None:
    """Build every <locale>.yaml of the package (en.yaml; id.yaml for English source text)."""
    for locale in LOCALES:
        if (package / f"{locale}.yaml").exists():
            build_locale(package, locale)


def build_locale(package: Path, locale: str) -> None:
    source = yaml.safe_load((package / f"{locale}.yaml").read_text(encoding="utf-8"))
    catalog = Catalog(locale=locale, domain="messages")
    for msgid, msgstr in source["messages"].items():
        catalog.add(msgid, msgstr)
    # Optional ``contexts: {menu: {...}}`` for words that translate differently by use, e.g.
    # "Layanan" as a menu entry ("Services") or a column ("Service"): pgettext("menu", ...).
    for context, messages in (source.get("contexts") or {}).items():
        for msgid, msgstr in messages.items():
            catalog.add(msgid, msgstr, context=context)
    target = package / "translations" / locale / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "messages.po", "wb") as po:
        write_po(po, catalog, width=100)
    with open(target / "messages.mo", "wb") as mo:
        write_mo(mo, catalog)
    print(f"{package} ({locale}): {len(catalog)} messages")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        build(Path(name))
