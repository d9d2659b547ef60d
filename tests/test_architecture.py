"""The house rules that keep the layers apart, and proof that the checker sees a violation."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_SERVICES = ("flask", "flask_", "wtforms", "kiosk")
FORBIDDEN_IN_KIOSK_CLIENT = ("kiosk", "services")


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module the file imports, relative imports resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(root).parent.parts)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module or "")
                continue
            up = node.level - 1  # "." is the file's own package, each further dot one up
            base = package[:len(package) - up] if up <= len(package) else []
            if node.module:
                names.add(".".join([*base, node.module]))
            else:
                names.update(".".join([*base, alias.name]) for alias in node.names)
    return names


def is_forbidden(module: str, forbidden: tuple[str, ...]) -> bool:
    """A name ending in "_" forbids every top-level package it begins ("flask_" -> flask_wtf)."""
    top = module.split(".")[0]
    return any(top == name or (name.endswith("_") and top.startswith(name))
               for name in forbidden)


def offenders(folder: Path, forbidden: tuple[str, ...], root: Path = ROOT) -> dict[str, list[str]]:
    """The files under folder that import a forbidden module, with what they import."""
    found = {
        str(path.relative_to(root)): sorted(
            name for name in imported_modules(path, root) if is_forbidden(name, forbidden))
        for path in folder.rglob("*.py")
    }
    return {path: names for path, names in found.items() if names}


def test_services_import_nothing_from_flask_wtforms_or_the_web_layer():
    assert offenders(ROOT / "services", FORBIDDEN_IN_SERVICES) == {}


def test_kiosk_client_talks_to_the_server_only_through_the_api():
    assert offenders(ROOT / "kiosk_client", FORBIDDEN_IN_KIOSK_CLIENT) == {}


def test_the_checker_catches_absolute_prefixed_and_relative_imports(tmp_path):
    rules = tmp_path / "services" / "rules"
    rules.mkdir(parents=True)
    (rules / "clean.py").write_text(
        "from . import fees\nfrom ..db import Base\nimport datetime\n", encoding="utf-8")
    (rules / "leaky.py").write_text(
        "import flask\nfrom flask_wtf import FlaskForm\nfrom ... import kiosk\n"
        "from ...kiosk.views import page\nfrom .fees import total\n", encoding="utf-8")

    assert offenders(tmp_path / "services", FORBIDDEN_IN_SERVICES, tmp_path) == {
        "services/rules/leaky.py": ["flask", "flask_wtf", "kiosk", "kiosk.views"]}
    assert imported_modules(rules / "clean.py", tmp_path) == {
        "services.rules.fees", "services.db", "datetime"}
