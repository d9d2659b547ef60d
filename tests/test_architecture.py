"""The house rules that keep the layers apart."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_SERVICES = ("flask", "flask_", "wtforms", "kiosk")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_services_import_nothing_from_flask_wtforms_or_the_web_layer():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path)
            if name.split(".")[0] in ("flask", "wtforms", "kiosk") or name.startswith("flask_")
        )
        for path in (ROOT / "services").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_kiosk_client_talks_to_the_server_only_through_the_api():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] in ("kiosk", "services")
        )
        for path in (ROOT / "kiosk_client").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
