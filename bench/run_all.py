"""Rerun every benchmark in bench/ and print one report: the machine, then each script's table.

    python bench/run_all.py [--quick] [--only NAME ...]

Each script compares against its own baseline measured in the same command (see bench/README.md),
so the ratios are what to compare between machines; the seconds are for this machine only. The
machine section (cores, memory, load average before and after) says how much to trust them: a
load average near the core count means other work shared the CPUs.

`--quick` runs smaller sizes (100 modules, one repeat) to check the scripts still work; its
figures are not the ones the README reports. Exit status is the worst of the scripts' own (1 when
a target was missed, as bench_validate reports).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# name -> (script, full arguments, quick arguments)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "validate": ("bench_validate.py", [], ["--modules", "100", "--repeat", "1"]),
    "local_run": ("bench_local_run.py", ["--repeat", "2"], ["--template", "custom_component"]),
    "copier": ("bench_copier.py", ["--repeat", "3"], ["--repeat", "1"]),
    "build": ("bench_build.py", [], []),
    "nox_validate": ("bench_nox_validate.py", ["--repeat", "2"], ["--repeat", "1"]),
    # Two fresh clones installing from nothing: minutes, so --quick leaves it out.
    "quickstart": ("bench_quickstart.py", [], []),
}
QUICK_SKIPS = {"quickstart"}


def machine() -> str:
    """Cores, memory, Python and load: the context every figure below depends on."""
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {pages / 2**30:.1f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average {load}"
    )


def run_one(name: str, quick: bool) -> int:
    """Run one script as its own process (fresh imports, its own baseline) and stream its output."""
    script, full, small = BENCHMARKS[name]
    argv = [sys.executable, str(BENCH / script), *(small if quick else full)]
    print(f"\n## {name}: {' '.join(argv[1:])}\n", flush=True)
    started = time.perf_counter()
    code = subprocess.run(argv, cwd=BENCH.parent, check=False).returncode
    print(f"\n({name}: exit {code}, {time.perf_counter() - started:.1f} s)", flush=True)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the scripts")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), metavar="NAME",
                        help=f"run only these ({', '.join(BENCHMARKS)}); repeatable")
    args = parser.parse_args(argv)
    print(f"# kfp-templates benchmarks\n\n{machine()}", flush=True)
    names = args.only or [n for n in BENCHMARKS if not (args.quick and n in QUICK_SKIPS)]
    codes = [run_one(name, args.quick) for name in names]
    print(f"\nafter: {machine()}")
    return max(codes, default=0)


if __name__ == "__main__":
    raise SystemExit(main())
