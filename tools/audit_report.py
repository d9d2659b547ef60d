"""Read pip-audit's output and say plainly what was audited.

pip-audit exits 0 with "No known vulnerabilities found" even when it could not look up a single
package (no route to the vulnerability service): that is not a clean audit, it is no audit.
Usage: ``python tools/audit_report.py AUDIT_JSON`` (pip-audit's ``-f json`` output); exit 1 on
known vulnerabilities,
2 when nothing or only part was audited and KIOSK_CI_REQUIRE_AUDIT=1, else 0.
``python tools/audit_report.py --check-pins setup.cfg LOCKFILE``: exit 1 when a pin of
setup.cfg is missing from the lock file or differs (the lock must be made again)."""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AuditSummary:
    packages: int
    not_audited: int
    vulnerable: bool

    @property
    def audited(self) -> int:
        return max(0, self.packages - self.not_audited)


def summarise(audit: dict) -> AuditSummary:  # type: ignore[type-arg]
    """Counts from pip-audit's JSON: a dependency with a skip reason was not looked up."""
    dependencies = audit.get("dependencies", [])
    return AuditSummary(
        packages=len(dependencies),
        not_audited=sum(1 for d in dependencies if d.get("skip_reason")),
        vulnerable=any(d.get("vulns") for d in dependencies))


def verdict(summary: AuditSummary) -> str:
    """What CI prints, loudly when the audit did not happen."""
    bar = "!" * 78
    if summary.vulnerable:
        return "!!! pip-audit found known vulnerabilities: upgrade the pins above."
    if summary.audited == 0:
        return (f"{bar}\n!!! NOTHING WAS AUDITED: pip-audit could not look up any of the "
                f"{summary.packages} locked packages\n!!! (the vulnerability service is "
                "unreachable from here). Its \"No known vulnerabilities found\" means\n!!! nothing. "
                f"Run `pip-audit -r requirements.lock` where PyPI/OSV can be reached.\n{bar}")
    if summary.not_audited:
        return (f"{bar}\n!!! ONLY PART WAS AUDITED: {summary.not_audited} of {summary.packages} "
                "locked packages could not be looked up\n!!! and were NOT audited. Run "
                f"`pip-audit -r requirements.lock` where PyPI/OSV can be reached.\n{bar}")
    return f"pip-audit checked all {summary.packages} locked packages: no known vulnerabilities."


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw.split("[")[0]).lower()


def stale_pins(setup_cfg: str, lock_text: str) -> list[str]:
    """The ``name==version`` pins of setup.cfg that the lock file does not hold as they are."""
    locked = {_name(m.group(1)): m.group(2) for m in
              re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", lock_text, re.M)}
    pins = re.findall(r"^\s+([A-Za-z0-9][A-Za-z0-9._\-\[\]]*)==(\S+)\s*$", setup_cfg, re.M)
    return [f"{name}=={version}" for name, version in pins
            if locked.get(_name(name)) != version]


def main(argv: list[str]) -> int:
    if argv[1] == "--check-pins":
        stale = stale_pins(Path(argv[2]).read_text(), Path(argv[3]).read_text())
        for pin in stale:
            print(f"!!! {pin} is in setup.cfg but not in {argv[3]}")
        return 1 if stale else 0
    summary = summarise(json.loads(Path(argv[1]).read_text()))
    print(verdict(summary))
    if summary.vulnerable:
        return 1
    if summary.not_audited and os.environ.get("KIOSK_CI_REQUIRE_AUDIT") == "1":
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
