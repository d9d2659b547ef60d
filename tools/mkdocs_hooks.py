"""MkDocs hooks for the e-Kiosk manual.

- The speed figures live in bench/README.md, beside the scripts that print them; the site shows
  that file as the page benchmarks.md, and links to ../bench/README.md point at that page.
- A page may link to a file of the repository outside docs/ (../kiosk/api/openapi.yaml): that
  works when the files are read on a forge or in an editor, and the site has no page for it, so
  there the link becomes the path in code type. A link to a file that does not exist is left
  alone, and `mkdocs build --strict` fails on it as on any broken link.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
BENCH_README = ROOT / "bench" / "README.md"
PAGE = "benchmarks.md"
FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(([^)\s]+)\)")


def on_files(files: Files, config) -> Files:  # type: ignore[no-untyped-def]
    files.append(File.generated(config, PAGE, abs_src_path=str(BENCH_README)))
    return files


def repository_links(markdown: str, src_uri: str, docs_dir: Path) -> str:
    """The page's links to files of the repository outside docs/, made site-ready."""
    here = posixpath.dirname(src_uri)

    def relink(match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        file = (docs_dir / here / path).resolve()
        if file == BENCH_README:
            to_page = posixpath.relpath(PAGE, here or ".")
            return f"[{text}]({to_page}{'#' + anchor if anchor else ''})"
        if file.is_relative_to(docs_dir.resolve()) or not file.is_relative_to(ROOT):
            return match.group(0)
        if not file.exists():
            return match.group(0)
        shown = file.relative_to(ROOT).as_posix()
        return f"`{shown}`" if text.strip("`") == shown else f"{text} (`{shown}`)"

    lines, fenced = [], False
    for line in markdown.split("\n"):
        if FENCE.match(line.lstrip()):
            fenced = not fenced
        lines.append(line if fenced else LINK.sub(relink, line))
    return "\n".join(lines)


def on_page_markdown(markdown: str, page, config, files) -> str:  # type: ignore[no-untyped-def]
    return repository_links(markdown, page.file.src_uri, Path(config["docs_dir"]))
