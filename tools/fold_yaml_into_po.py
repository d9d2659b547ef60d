"""Fold the old YAML translation maps into the English gettext catalogue (one-off converter).

    python tools/fold_yaml_into_po.py                       # every kiosk/**/en.yaml and kiosk/id.yaml
    python tools/fold_yaml_into_po.py kiosk/clerk/en.yaml   # one file, e.g. another branch's additions

An ``en.yaml`` maps Indonesian source text to English (``messages``, and ``contexts`` of messages
for pgettext): each pair becomes msgid (Indonesian) -> msgstr (English). ``id.yaml`` maps English
domain text to Indonesian: folded the other way round, so the Indonesian text is the msgid and
the English its translation (the domain's messages are Indonesian-source message codes now; give
the code its text in kiosk/messages.py).

Idempotent: an entry already translated the same way is left alone, a missing or empty or fuzzy
one is filled in, and a different existing translation is kept (and reported) unless
``--prefer-yaml``. Run ``make translations`` afterwards to merge, order and compile.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "kiosk" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def pairs(path: Path) -> list[tuple[str | None, str, str]]:
    """(context, Indonesian msgid, English msgstr) for every entry of one YAML map."""
    source = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    english_source = path.name == "id.yaml"
    found: list[tuple[str | None, str, str]] = []
    for msgid, msgstr in (source.get("messages") or {}).items():
        found.append((None, msgstr, msgid) if english_source else (None, msgid, msgstr))
    for context, messages in (source.get("contexts") or {}).items():
        for msgid, msgstr in (messages or {}).items():
            found.append((context, msgstr, msgid) if english_source else (context, msgid, msgstr))
    return found


def load(po: Path) -> Catalog:
    if po.exists():
        with po.open("rb") as handle:
            return read_po(handle, locale="en")
    # Not fuzzy: pybabel compile skips a catalogue whose header is marked fuzzy.
    return Catalog(locale="en", domain="messages", project="e-Kiosk", fuzzy=False)


def fold(catalog: Catalog, entries: list[tuple[str | None, str, str]], *, origin: str,
         prefer_yaml: bool = False) -> tuple[int, list[str]]:
    """Add the entries to the catalogue; return how many changed and the conflicts kept."""
    changed, conflicts = 0, []
    for context, msgid, msgstr in entries:
        existing = catalog.get(msgid, context=context)
        if existing is None:
            catalog.add(msgid, msgstr, context=context)
            changed += 1
        elif not existing.string or existing.fuzzy:
            existing.string = msgstr
            existing.flags.discard("fuzzy")
            changed += 1
        elif existing.string != msgstr:
            if prefer_yaml:
                existing.string = msgstr
                changed += 1
            else:
                conflicts.append(f"{origin}: {msgid!r} kept {existing.string!r}, "
                                 f"not {msgstr!r}")
    return changed, conflicts


def yaml_files() -> list[Path]:
    return sorted(ROOT.glob("kiosk/**/en.yaml")) + sorted(ROOT.glob("kiosk/**/id.yaml"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("yaml", nargs="*", type=Path, help="en.yaml/id.yaml files (default: all)")
    parser.add_argument("--po", type=Path, default=DEFAULT_PO, help="the English catalogue")
    parser.add_argument("--prefer-yaml", action="store_true",
                        help="overwrite a different existing translation")
    args = parser.parse_args(argv)
    catalog = load(args.po)
    total, all_conflicts = 0, []
    for path in args.yaml or yaml_files():
        changed, conflicts = fold(catalog, pairs(path), origin=str(path),
                                  prefer_yaml=args.prefer_yaml)
        total += changed
        all_conflicts += conflicts
        print(f"{path}: {changed} entries added or filled")
    for conflict in all_conflicts:
        print("conflict:", conflict, file=sys.stderr)
    if total:
        args.po.parent.mkdir(parents=True, exist_ok=True)
        with args.po.open("wb") as handle:
            write_po(handle, catalog)
    print(f"{args.po}: {total} changed, {len(all_conflicts)} conflicts kept")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
