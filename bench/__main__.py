"""Run every benchmark script in bench/ in turn (`make bench`); each prints its own figures."""

import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    for script in sorted(Path(__file__).parent.glob("*.py")):
        if script.stem.startswith("_"):
            continue
        print(f"=== bench/{script.name} ===", flush=True)
        sys.argv = [str(script)]
        runpy.run_module(f"bench.{script.stem}", run_name="__main__")
        print()
