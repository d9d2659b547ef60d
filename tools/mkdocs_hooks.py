"""MkDocs hook: the speed figures live in bench/README.md, beside the scripts that print them;
the site shows that file as the page benchmarks.md. Pages link to it by its path in the
repository (../bench/README.md), which works when reading the files; here those links are
pointed at the page instead."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File, Files

BENCH_README = Path(__file__).resolve().parent.parent / "bench" / "README.md"
PAGE = "benchmarks.md"


def on_files(files: Files, config) -> Files:  # type: ignore[no-untyped-def]
    files.append(File.generated(config, PAGE, abs_src_path=str(BENCH_README)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:  # type: ignore[no-untyped-def]
    here = posixpath.dirname(page.file.src_uri)
    up = "../" * (here.count("/") + 1 if here else 0)
    in_repository = re.escape(f"{up}../bench/README.md")
    to_page = posixpath.relpath(PAGE, here or ".")
    return re.sub(rf"\]\({in_repository}(#[^)]*)?\)", lambda m: f"]({to_page}{m.group(1) or ''})",
                  markdown)
