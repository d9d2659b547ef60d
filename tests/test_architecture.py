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


# Calls that read the wall clock: in services/ only services/clock.py may make them; a use case
# takes ``now`` from its caller, who has the app's Clock (tests hand in a FakeClock).
WALL_CLOCK_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"),
                    ("time", "time"), ("time", "time_ns")}
CLOCK_MODULE = "services/clock.py"
# Use cases that still fall back on the wall clock when their caller gives no ``now`` (the
# request side's `now or utcnow()`), with how many times: a debt that may only shrink.
WALL_CLOCK_DEBT = {
    "services/accounts.py": 1,
    "services/apikeys.py": 2,
    "services/catalog/versions.py": 1,
    "services/demo.py": 1,
    "services/documents/__init__.py": 2,
    "services/documents/signing.py": 1,
    "services/formatting.py": 1,
    "services/ikm/paper.py": 1,
    "services/ikm/survey.py": 1,
    "services/kiosks/calls.py": 4,
    "services/kiosks/devices.py": 3,
    "services/kiosks/printing.py": 2,
    "services/kiosks/status.py": 3,
    "services/lookup.py": 1,
    "services/outbox/monitoring.py": 1,
    "services/outbox/notices.py": 7,
    "services/outbox/providers.py": 1,
    "services/outbox/signing.py": 1,
    # Issue 23's and 22's use cases arrived with these defaults (merged before the request
    # side's use cases came to require ``now``): the next to pay off.
    "services/payments/demo.py": 1,
    "services/payments/reconciliation.py": 1,
    "services/payments/settlement.py": 2,
    "services/payments/treasury.py": 2,
    "services/signing/decisions.py": 2,
    "services/performance/local_days.py": 1,
    "services/performance/metrics.py": 1,
    "services/submission.py": 1,
    "services/workflow/citizen.py": 1,
    "services/workflow/figures.py": 1,
    "services/workflow/queues.py": 6,
    "services/workflow/sla.py": 2,
    "services/workflow/tasks.py": 5,
}


def wall_clock_reads(path: Path) -> list[int]:
    """The lines of a file that read the wall clock: datetime.now(), date.today(),
    time.time(), utcnow()."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        if reads_wall_clock(node.func):
            lines.append(node.lineno)
    return sorted(lines)


def reads_wall_clock(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id == "utcnow"
    return isinstance(func, ast.Attribute) and (
        func.attr == "utcnow"
        or (isinstance(func.value, ast.Name) and (func.value.id, func.attr) in WALL_CLOCK_CALLS))


def services_reading_the_wall_clock(root: Path = ROOT) -> dict[str, int]:
    found = {}
    for path in sorted((root / "services").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name != CLOCK_MODULE and (reads := wall_clock_reads(path)):
            found[name] = len(reads)
    return found


def test_no_use_case_reads_the_wall_clock_but_through_the_clock():
    assert services_reading_the_wall_clock() == WALL_CLOCK_DEBT
    assert not any(name.startswith("services/complaints/") for name in WALL_CLOCK_DEBT)


def test_the_clock_checker_sees_each_way_of_reading_the_wall_clock(tmp_path):
    module = tmp_path / "services" / "late.py"
    module.parent.mkdir()
    module.write_text("import time\nfrom datetime import date, datetime\n"
                      "from services.clock import utcnow\n\n"
                      "def late(now=None):\n"
                      "    a = now or utcnow()\n"
                      "    b = datetime.now()\n"
                      "    c = date.today()\n"
                      "    d = time.time()\n"
                      "    return clock.utcnow(), a, b, c, d\n", encoding="utf-8")
    assert wall_clock_reads(module) == [6, 7, 8, 9, 10]
    assert services_reading_the_wall_clock(tmp_path) == {"services/late.py": 5}
