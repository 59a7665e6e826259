"""Benchmark `run --local`: each template's local run against its user functions' own time.

For each producer template (a fresh copy of its reference project in a temporary directory):

- validate and run the whole pipeline as `kfp-templates run --local` does (a child process
  running kfp.local's subprocess runner), timing the run and each step from kfp.local's log;
- then call the same user functions directly in this process on the very inputs the run's steps
  received (read back from the run's artifacts), with pandas and scikit-learn already imported.

The difference is what running on kfp.local costs: per step, a Python start, kfp's executor,
imports in the fresh process and artifact I/O. Prints one table per template and a summary.
Then the goal of issue 17.2, measured in the same command: the whole tabular_training run with
the warm runner (the default) against one cold import of its libraries, and against kfp.local's
own SubprocessRunner (`--runner subprocess`).
Run: `python bench/bench_local_run.py [--repeat N] [--template NAME ...] [--runner NAME]`.

Every process it starts caches bytecode (into a temporary `PYTHONPYCACHEPREFIX`, with
`PYTHONDONTWRITEBYTECODE` removed), as an installed package has it: otherwise each fresh
interpreter compiles kfp, pandas and scikit-learn again, which triples the cold import and
measures the compiler, not the runner. Take the best of `--repeat` 2 or more: the first run fills
the cache.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from kfp import dsl

from kfp_templates._kfp.local_run import LocalRunRequest, LocalRunResult, run_local
from kfp_templates._kfp.project import default_image
from kfp_templates._layout import find_layout
from kfp_templates._project_loader import LoadedProject, load_project

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = ("tabular_training", "batch_prediction", "custom_component")


def _copy(name: str, scratch: Path) -> Path:
    target = scratch / name
    shutil.copytree(REPO / "producer_templates" / name, target,
                    ignore=shutil.ignore_patterns("local_outputs", "__pycache__", "build"))
    return target


def _prepared(project: Path) -> LoadedProject:
    """The project loaded and validated as `run --local` loads it."""
    prepared, result = load_project(find_layout(project))
    if prepared is None:
        raise SystemExit(f"{project.name}: does not validate: {result.findings}")
    return prepared


def _run(prepared: LoadedProject, runner: str = "warm") -> LocalRunResult:
    root = prepared.layout.root / "local_outputs" / runner
    return run_local(LocalRunRequest(prepared.ref, prepared.layout.root,
                                     default_image(prepared.config), prepared.config, root,
                                     600, root / "log.txt", runner))


def _timed(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def _user(root: Path, module: str, name: str) -> Any:
    for loaded in [m for m in sys.modules if m == "user" or m.startswith("user.")]:
        del sys.modules[loaded]
    sys.path.insert(0, str(root))
    try:
        return getattr(importlib.import_module(module), name)
    finally:
        sys.path.remove(str(root))


def _tabular(root: Path, run: Path, params: dict[str, Any]) -> dict[str, float]:
    target = params["target_column"]
    raw = pd.read_parquet(run / "ingest" / "data")
    _, preprocess_s = _timed(_user(root, "user.preprocess", "preprocess"), raw,
                             {"target_column": target, "seed": params["seed"]})
    train_rows = pd.read_parquet(run / "preprocess" / "train_data")
    model, train_s = _timed(_user(root, "user.train", "train"), train_rows, target,
                            seed=params["seed"])
    test_rows = pd.read_parquet(run / "preprocess" / "test_data")
    _, evaluate_s = _timed(_user(root, "user.evaluate", "evaluate"), model, test_rows, target)
    return {"preprocess": preprocess_s, "train": train_s, "evaluate": evaluate_s}


def _batch(root: Path, run: Path, params: dict[str, Any]) -> dict[str, float]:
    model, load_s = _timed(_user(root, "user.predict", "load_model"),
                           str(run / "sample-model" / "model"))
    rows = pd.read_parquet(run / "ingest" / "data")
    _, predict_s = _timed(_user(root, "user.predict", "predict"), model, rows)
    return {"predict": load_s + predict_s}


def _custom(root: Path, run: Path, params: dict[str, Any]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        data = dsl.Dataset(uri=str(root / params["inputs"]["data"]))
        scaled = dsl.Dataset(uri=str(Path(scratch) / "scaled"))
        summary = dsl.Metrics(uri=str(Path(scratch) / "summary"))
        _, seconds = _timed(_user(root, "user.main", "component"), data=data, scaled=scaled,
                            summary=summary, **params["args"])
    return {"component": seconds}


USER_TIMERS = {"tabular_training": _tabular, "batch_prediction": _batch,
               "custom_component": _custom}


def bench(name: str, scratch: Path, runner: str) -> tuple[LocalRunResult, dict[str, float]]:
    """One local run of template `name` and its user functions timed in-process."""
    prepared = _prepared(_copy(name, scratch))
    result = _run(prepared, runner)
    if not result.ok or result.run_dir is None:
        raise SystemExit(f"{name}: local run failed: {result.step} {result.message}")
    parameters = dict(prepared.config["parameters"])
    user = USER_TIMERS[name](prepared.layout.root, result.run_dir, parameters)
    return result, user


def _report(name: str, result: LocalRunResult, user: dict[str, float]) -> list[str]:
    lines = [f"\n{name}: run {result.seconds:.2f}s, user functions {sum(user.values()):.3f}s",
             f"  {'step':<16}{'step wall s':>12}{'user s':>10}{'overhead s':>12}"]
    for step, seconds in result.step_seconds.items():
        own = user.get(step.replace("-", "_"), 0.0)
        lines.append(f"  {step:<16}{seconds:>12.2f}{own:>10.3f}{seconds - own:>12.2f}")
    steps = len(result.step_seconds)
    outside = result.seconds - sum(result.step_seconds.values())
    overhead = (result.seconds - sum(user.values())) / max(steps, 1)
    lines.append(f"  outside steps (child start, kfp import, pipeline build): {outside:.2f}s")
    lines.append(f"  per-step overhead (run - user) / {steps} steps: {overhead:.2f}s; "
                 f"run / user = {result.seconds / max(sum(user.values()), 1e-9):.0f}x")
    return lines


def import_baseline() -> float:
    """Seconds a fresh interpreter takes to import what every step imports (kfp, pandas,
    scikit-learn): the floor of per-step overhead for a subprocess runner."""
    import subprocess  # noqa: PLC0415 - only the baseline needs it

    code = "import kfp.dsl, pandas, pyarrow.parquet, sklearn.linear_model"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def runner_ratios(scratch: Path, repeat: int) -> list[str]:
    """tabular_training's whole run, warm and subprocess, against one cold import (best of each)."""
    cold = min(import_baseline() for _ in range(3))
    seconds = {}
    for runner in ("warm", "subprocess"):
        runs = [_run(_prepared(_copy("tabular_training", scratch / f"{runner}{i}")), runner)
                for i in range(repeat)]
        if not all(run.ok for run in runs):
            raise SystemExit(f"tabular_training with --runner {runner} failed")
        seconds[runner] = min(run.seconds for run in runs)
    return [f"\ntabular_training, 5 steps: cold import {cold:.2f}s, warm run "
            f"{seconds['warm']:.2f}s, subprocess run {seconds['subprocess']:.2f}s",
            f"  warm run / cold import = {seconds['warm'] / cold:.2f} (goal: at most 1.5)",
            f"  subprocess run / warm run = {seconds['subprocess'] / seconds['warm']:.2f}"]


def main(argv: list[str] | None = None) -> int:
    """Benchmark the chosen templates and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", action="append", choices=TEMPLATES)
    parser.add_argument("--repeat", type=int, default=1, help="runs per template (best kept)")
    parser.add_argument("--runner", choices=("warm", "subprocess"), default="warm")
    parser.add_argument("--ratios-only", action="store_true",
                        help="only the warm / cold-import / subprocess ratios")
    args = parser.parse_args(argv)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="bench-local-run-pycache-") as pycache:
        os.environ["PYTHONPYCACHEPREFIX"] = pycache
        _measure(args)
    return 0


def _measure(args: argparse.Namespace) -> None:
    """Print the tables `args` asks for (all templates and the ratios, or the ratios only)."""
    if not args.ratios_only:
        print(f"baseline: fresh python importing kfp.dsl, pandas, pyarrow, sklearn: "
              f"{min(import_baseline() for _ in range(3)):.2f}s")
        for name in args.template or TEMPLATES:
            with tempfile.TemporaryDirectory(prefix="bench-local-run-") as scratch:
                runs = [bench(name, Path(scratch) / str(i), args.runner)
                        for i in range(args.repeat)]
            result, user = min(runs, key=lambda pair: pair[0].seconds)
            print("\n".join(_report(name, result, user)))
    with tempfile.TemporaryDirectory(prefix="bench-local-run-") as scratch:
        print("\n".join(runner_ratios(Path(scratch), args.repeat)))


if __name__ == "__main__":
    sys.exit(main())
