"""CI says plainly when pip-audit audited nothing (issue 28, item 12: it exited 0 after "112
packages not found on PyPI"), and audits requirements.lock, which pins every package with its
hashes and holds every pin of setup.cfg."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "audit_report.py"
_spec = importlib.util.spec_from_file_location("audit_report", SCRIPT)
audit_report = importlib.util.module_from_spec(_spec)
sys.modules["audit_report"] = audit_report  # dataclasses look their module up there
_spec.loader.exec_module(audit_report)

SKIPPED = {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be "
                                           "audited: flask (3.1.3)"}
CLEAN = {"name": "werkzeug", "version": "3.1.9", "vulns": []}
VULNERABLE = {"name": "jinja2", "version": "2.0", "vulns": [{"id": "PYSEC-1", "fix_versions": []}]}


def run_report(tmp_path, dependencies, **env):
    report = tmp_path / "audit.json"
    report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    return subprocess.run([sys.executable, str(SCRIPT), str(report)], capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", **env}, check=False)


def test_an_audit_that_looked_up_nothing_says_nothing_was_audited(tmp_path):
    done = run_report(tmp_path, [SKIPPED] * 112)
    assert "NOTHING WAS AUDITED" in done.stdout and "112" in done.stdout
    assert done.returncode == 0  # loud, but CI goes on unless the city requires the audit
    assert run_report(tmp_path, [SKIPPED] * 112, KIOSK_CI_REQUIRE_AUDIT="1").returncode == 2


def test_a_partial_audit_says_how_much_was_not_audited(tmp_path):
    done = run_report(tmp_path, [SKIPPED, SKIPPED, CLEAN])
    assert "ONLY PART WAS AUDITED: 2 of 3" in done.stdout and done.returncode == 0


def test_known_vulnerabilities_fail_the_run(tmp_path):
    assert run_report(tmp_path, [CLEAN, VULNERABLE]).returncode == 1


def test_a_complete_clean_audit_says_so(tmp_path):
    done = run_report(tmp_path, [CLEAN, CLEAN])
    assert "checked all 2 locked packages" in done.stdout and done.returncode == 0


def test_the_lock_file_holds_every_pin_of_setup_cfg_with_hashes():
    lock = (ROOT / "requirements.lock").read_text()
    assert audit_report.stale_pins((ROOT / "setup.cfg").read_text(), lock) == []
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2])
    assert len(entries) > 50
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


@pytest.mark.parametrize("pin", ["flask==3.1.3", "google-re2==1.1.20251105"])
def test_a_pin_changed_in_setup_cfg_shows_the_lock_is_stale(pin):
    lock = (ROOT / "requirements.lock").read_text()
    setup = (ROOT / "setup.cfg").read_text()
    changed = setup.replace(pin, pin.split("==")[0] + "==0.0.1")
    assert audit_report.stale_pins(changed, lock) == [pin.split("==")[0] + "==0.0.1"]


def test_ci_audits_the_lock_file_and_reports_through_the_script():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip-audit -r requirements.lock" in ci and "tools/audit_report.py" in ci
