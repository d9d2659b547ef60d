"""MkDocs hook: the speed figures live in bench/README.md, beside the scripts that print them;
the site shows that file as the page benchmarks.md."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

BENCH_README = Path(__file__).resolve().parent.parent / "bench" / "README.md"


def on_files(files: Files, config) -> Files:  # type: ignore[no-untyped-def]
    files.append(File.generated(config, "benchmarks.md", abs_src_path=str(BENCH_README)))
    return files
