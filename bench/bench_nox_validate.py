"""Benchmark the generated `nox -s validate` on a fresh clone of a generated project (issue 12).

A project is copied from this repository (working tree committed to a scratch git repository and
tagged, as bench_copier does) and committed; each round clones it, as a teammate or CI would,
and runs its own `nox -s validate`, which makes the session's virtualenv and installs the tool's
core from the project's pin. Phases, each its own process:

- fresh clone: `nox -s validate` in a new clone, with this machine's uv cache (a developer's
  second project, or CI with a cache);
- fresh clone, empty cache: the same with a new, empty `UV_CACHE_DIR` (a new machine);
- baseline: `nox -r -s validate` again in the first clone (virtualenv reused, the warm run).

Target: fresh clone under 20 s. Exit 1 when missed. Needs nox with uv (`nox[uv]`, the dev extra);
without uv nox falls back to virtualenv and the figures say so.
`python bench/bench_nox_validate.py [--repeat N] [--template NAME]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_copier import ENV, _copier_copy, _git_repo, _run, _this_repository

TARGET_SECONDS = 20.0


def _nox(project: Path, *args: str, env: dict[str, str] | None = None) -> float:
    """Seconds `python -m nox ARGS -s validate` takes in `project`; fails loudly when it fails."""
    command = [sys.executable, "-m", "nox", *args, "-s", "validate"]
    started = time.perf_counter()
    env = env or ENV
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return elapsed


def _clone(origin: Path, destination: Path) -> Path:
    _run(["git", "clone", "-q", str(origin), str(destination)], destination.parent)
    return destination


def _one_round(scratch: Path, origin: Path, index: int) -> dict[str, float]:
    first = _clone(origin, scratch / f"clone{index}a")
    second = _clone(origin, scratch / f"clone{index}b")
    empty_cache = {**ENV, "UV_CACHE_DIR": str(scratch / f"uv-cache{index}")}
    return {
        "fresh": _nox(first),
        "baseline": _nox(first, "-r"),
        "cold": _nox(second, env=empty_cache),
    }


def _backend() -> str:
    try:
        import uv  # noqa: F401, PLC0415 - only asked whether nox will find it

        return "uv"
    except ImportError:
        return "virtualenv (uv not installed: pip install 'nox[uv]')"


def _report(rounds: list[dict[str, float]], template: str) -> int:
    medians = {phase: statistics.median(r[phase] for r in rounds) for phase in rounds[0]}
    base = medians["baseline"]
    print(f"template {template}, {len(rounds)} round(s), session backend {_backend()}")
    print(f"{'phase':<48}{'seconds':>9}{'x warm run':>12}")
    rows = [
        ("nox -r -s validate, warm (baseline)", "baseline"),
        ("nox -s validate, fresh clone", "fresh"),
        ("nox -s validate, fresh clone, empty uv cache", "cold"),
    ]
    for label, phase in rows:
        print(f"{label:<48}{medians[phase]:>9.2f}{medians[phase] / base:>12.1f}")
    missed = medians["fresh"] > TARGET_SECONDS
    verdict = "missed" if missed else "met"
    print(f"target: fresh clone under {TARGET_SECONDS:.0f} s: {verdict}")
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    """Make the project once, time `--repeat` rounds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--template", default="tabular_training")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-nox-validate-") as tmp:
        scratch = Path(tmp)
        (scratch / "repo").mkdir()
        repo = _this_repository(scratch / "repo")
        origin = scratch / "origin"
        _copier_copy(repo, origin, f"template={args.template}")()
        _git_repo(origin)
        rounds = [_one_round(scratch, origin, index) for index in range(args.repeat)]
    return _report(rounds, args.template)


if __name__ == "__main__":
    raise SystemExit(main())
