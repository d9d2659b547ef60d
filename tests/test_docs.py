"""The README stays a short front door whose links and commands work, and the manual in docs/
builds with `mkdocs build --strict` (a broken link, anchor or image fails), every page in it
reachable from the navigation."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"

# [text](target) and ![alt](target), not inside code spans.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _without_code(markdown: str) -> str:
    markdown = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    return re.sub(r"`[^`\n]*`", "", markdown)


def _relative_links(markdown: str) -> list[str]:
    return [target for target in LINK.findall(_without_code(markdown))
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")]


def test_the_readme_is_under_10_kb() -> None:
    size = README.stat().st_size
    assert size < 10_000, f"README.md is {size} bytes: move the detail into docs/"


def test_every_relative_link_in_the_readme_resolves() -> None:
    links = _relative_links(README.read_text(encoding="utf-8"))
    assert links, "README.md links into docs/"
    missing = [link for link in links if not (ROOT / link.split("#", 1)[0]).exists()]
    assert missing == []


def test_every_relative_link_in_docs_resolves_in_the_repository_too() -> None:
    """The site checks its links; these are the same files read on a forge or an editor,
    where bench/README.md is its own file rather than the site's benchmarks page."""
    missing = [f"{page.relative_to(ROOT)}: {link}"
               for page in [*DOCS.rglob("*.md"), ROOT / "bench" / "README.md"]
               for link in _relative_links(page.read_text(encoding="utf-8"))
               if not (page.parent / link.split("#", 1)[0]).exists()]
    assert missing == []


def test_the_link_checker_sees_a_missing_file() -> None:
    links = _relative_links("[a](docs/nothing-here.md) `[b](not/a/link.md)` [c](https://x.test/)")
    assert links == ["docs/nothing-here.md"]
    assert not (ROOT / links[0]).exists()


def test_the_readme_opens_with_the_two_commands_ci_and_make_run() -> None:
    readme = README.read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    assert first_block, "README.md starts with a shell block"
    commands = [line.split("#", 1)[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]
    assert readme.index("make demo") < 200, "the two commands are at the very top"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, flags=re.MULTILINE)
    assert re.search(r"^test:", makefile, flags=re.MULTILINE)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.MULTILINE), ".ci/run runs the README's `make test`"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("!!! mkdocs is not installed: the docs build is NOT checked "
                    "(.venv/bin/pip install 'mkdocs==1.6.1', or make install-test)")
    out = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        # Not --quiet: it hides the warnings from --strict, and a broken link would pass.
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    log = built.stdout + built.stderr
    assert built.returncode == 0 and "WARNING" not in log, f"mkdocs build --strict failed:\n{log}"
    return out


def test_the_manual_builds_strictly_and_every_page_is_in_the_navigation(site: Path) -> None:
    pages = sorted(path.relative_to(DOCS).with_suffix(".html").as_posix()
                   for path in DOCS.rglob("*.md"))
    assert "index.html" in pages and "panduan/index.html" in pages
    front = (site / "index.html").read_text(encoding="utf-8")
    for page in pages + ["benchmarks.html"]:
        assert (site / page).exists(), page
        assert f'href="{page}"' in front, f"{page} is missing from the navigation"


def test_the_guides_images_are_in_the_repository(site: Path) -> None:
    images = [target for path in (DOCS / "panduan").glob("*.md")
              for target in _relative_links(path.read_text(encoding="utf-8"))
              if target.endswith(".png")]
    for image in images:
        assert (DOCS / "panduan" / image).resolve().is_file(), image


def test_links_to_repository_files_become_paths_on_the_site() -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("!!! mkdocs is not installed: the docs hooks are NOT checked "
                    "(.venv/bin/pip install 'mkdocs==1.6.1', or make install-test)")
    from tools.mkdocs_hooks import repository_links

    page = ("See [the settings](../setup.cfg), [`gunicorn.conf.py`](../gunicorn.conf.py), "
            "[speed](../bench/README.md#speed), [deployment](deployment.md), "
            "[gone](../no-such-file.md) and [site](https://example.test/).\n"
            "```\n[kept](../setup.cfg)\n```")
    assert repository_links(page, "api.md", DOCS).split("\n") == [
        "See the settings (`setup.cfg`), `gunicorn.conf.py`, [speed](benchmarks.md#speed), "
        "[deployment](deployment.md), [gone](../no-such-file.md) and [site](https://example.test/).",
        "```", "[kept](../setup.cfg)", "```"]
    assert repository_links("[figures](../../bench/README.md)", "panduan/admin.md", DOCS) == \
        "[figures](../benchmarks.md)"
