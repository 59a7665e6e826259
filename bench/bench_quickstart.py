"""Benchmark the README's first command, `python3 dev.py demo`, on a fresh clone.

Two runs, each on its own fresh `git clone` of this repository's HEAD with no `.venv`, started
with the interpreter the venv was made from (a fresh machine's only Python):

- cold: empty uv and pip caches, as on a new machine: everything is downloaded;
- warm (the baseline): the caches the cold run filled, so what remains is venv creation,
  installing from the cache, copier copy, validate and the local run.

Reported: both wall times, the cold run's ratio to the warm one, and the target (cold under 90 s,
issue 12). Run: `python bench/bench_quickstart.py`. The demo's own output goes to a log file in
the scratch directory; its path is printed when a run fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 90.0
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)


def _clone(scratch: Path, name: str) -> Path:
    clone = scratch / name
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    return clone


def _demo(clone: Path, caches: Path) -> float:
    """Wall seconds of `python3 dev.py demo` in `clone`, with uv and pip caches under `caches`."""
    env = {
        **os.environ,
        "UV_CACHE_DIR": str(caches / "uv"),
        "PIP_CACHE_DIR": str(caches / "pip"),
    }
    env.pop("VIRTUAL_ENV", None)
    log = clone.parent / f"{clone.name}.log"
    started = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run(
            [BASE_PYTHON, "dev.py", "demo"], cwd=clone, env=env, stdout=out, stderr=out, check=False
        )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"`python3 dev.py demo` exited {done.returncode}; see {log}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Run cold then warm; exit 1 when the cold run misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-quickstart-") as tmp:
        scratch = Path(tmp)
        caches = scratch / "caches"
        cold = _demo(_clone(scratch, "cold"), caches)
        warm = _demo(_clone(scratch, "warm"), caches)
    print("| run | seconds | ratio to warm |")
    print("|---|---|---|")
    print(f"| warm caches (baseline) | {warm:.1f} | 1.00x |")
    print(f"| cold, as a fresh machine | {cold:.1f} | {cold / warm:.2f}x |")
    verdict = "met" if cold < TARGET_SECONDS else "MISSED"
    print(f"\ntarget: cold under {TARGET_SECONDS:g} s: {verdict}")
    return 0 if cold < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
