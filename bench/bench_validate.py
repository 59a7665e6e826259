"""Benchmark `kfp-templates validate` on a generated consumer repo, against baselines.

Generates 1,000 `user/` modules x 10 functions (3 annotated parameters each, through a mix of
import spellings) with a matching contract in a temporary directory, then times, each as a fresh
subprocess so interpreter start is included:

- the whole `python -m kfp_templates validate` CLI on the generated repo;
- an import-based check of the same tree (`importlib` + `inspect.signature` per function);
- the CLI on the typical repo (tests/cases/base) against `python -c pass`.

It also times each phase of `validate` in-process on the generated repo (contract loading,
extraction, schema check), so a missed target says which phase to look at. Prints a table and
exits 1 when a target is missed: generated repo under 2 s, typical repo under 0.3 s.

Run: `python bench/bench_validate.py [--modules N] [--functions N] [--repeat N]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from kfp_templates._layout import find_layout
from kfp_templates.contract import contract_from_document, load_contract
from kfp_templates.validators.extract import extract_interface
from kfp_templates.validators.user_code import check_interface, gc_paused

REPO = Path(__file__).resolve().parent.parent
BASE_CASE = REPO / "tests" / "cases" / "base"
LARGE_TARGET_S = 2.0
TYPICAL_TARGET_S = 0.3

_HEADERS = (
    "from __future__ import annotations\nimport typing\nimport collections.abc as cabc\n",
    "from typing import Any, Dict, Optional\nimport typing\nimport collections.abc as cabc\n",
)
_PARAMS = (
    ("rows", "list[dict[str, typing.Any]]", "list[dict[str, typing.Any]]"),
    ("options", "Optional[Dict[str, Any]]", "dict[str, typing.Any] | None"),
    ("limit", "int", "int"),
)
_IMPORT_CHECK = """
import importlib, inspect, json, sys
sys.path.insert(0, sys.argv[1])
wanted = json.load(open(sys.argv[2]))
bad = 0
for module, names in wanted.items():
    loaded = importlib.import_module(module)
    for name in names:
        signature = inspect.signature(getattr(loaded, name))
        bad += list(signature.parameters) != ["rows", "options", "limit"]
sys.exit(1 if bad else 0)
"""


def _function(index: int, header: int) -> str:
    spelled = [p[1] if header else p[2] for p in _PARAMS]
    rows, options, limit = (f"{p[0]}: {t}" for p, t in zip(_PARAMS, spelled, strict=True))
    return (
        f"\n\ndef step_{index}({rows}, {options} = None, *, {limit} = 10)"
        " -> cabc.Mapping[str, int]:\n"
        f'    """Step {index}."""\n    return {{"n": len(rows)}}\n'
    )


def _contract_function(module: str, index: int) -> dict[str, object]:
    rows, options, limit = _PARAMS
    return {
        "module": module,
        "name": f"step_{index}",
        "parameters": [
            {"name": rows[0], "annotation": rows[2]},
            {"name": options[0], "annotation": options[2], "default": "allowed"},
            {
                "name": limit[0],
                "annotation": limit[2],
                "default": "allowed",
                "kind": "keyword_only",
            },
        ],
        "returns": "collections.abc.Mapping[str, int]",
    }


def generate(root: Path, modules: int, functions: int) -> dict[str, list[str]]:
    """Write the consumer repo under `root`; return the wanted functions by module."""
    shutil.copytree(BASE_CASE, root)
    user = root / "user"
    contract = json.loads(json.dumps(_base_contract()))
    contract["functions"] = []
    wanted: dict[str, list[str]] = {}
    for m in range(modules):
        module = f"user.mod_{m:04d}"
        body = _HEADERS[m % 2] + "".join(_function(i, m % 2) for i in range(functions))
        (user / f"mod_{m:04d}.py").write_text(body, encoding="utf-8")
        wanted[module] = [f"step_{i}" for i in range(functions)]
        contract["functions"] += [_contract_function(module, i) for i in range(functions)]
    (root / "template_pipeline" / "contract.yaml").write_text(json.dumps(contract))
    return wanted


def _base_contract() -> dict[str, object]:
    text = (BASE_CASE / "template_pipeline" / "contract.yaml").read_text()
    loaded: dict[str, object] = yaml.safe_load(text)
    return loaded


def _time(command: list[str], repeat: int) -> tuple[float, int]:
    """Best wall time of `repeat` runs of a subprocess, and the exit code of the last one."""
    times, code = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        code = done.returncode
    return min(times), code


def _phases(root: Path, wanted: dict[str, list[str]]) -> list[Row]:
    """In-process times of each step of `validate`, to show where the CLI's time goes."""
    layout = find_layout(root)
    start = time.perf_counter()
    contract, findings = load_contract(layout.contract_path, "contract.yaml")
    loaded = time.perf_counter() - start
    note = "ok" if contract else f"rejected: {findings[0].rule.id} {findings[0].message[:40]}"
    document = json.loads(layout.contract_path.read_text())
    contract = contract_from_document(document, layout.contract_path)  # even if rejected
    rows: list[Row] = [("  phase: load + check contract", "in-process", loaded, note)]
    with gc_paused():
        start = time.perf_counter()
        interface = extract_interface(root, wanted)
        extracted = time.perf_counter() - start
        start = time.perf_counter()
        errors = len(list(check_interface(interface, contract)))
        checked = time.perf_counter() - start
    rows.append(("  phase: extract user/ (ast)", "in-process", extracted, ""))
    rows.append(("  phase: compile + check schema", "in-process", checked, f"{errors} findings"))
    rows.append(("  user-code check, total", "in-process", extracted + checked, ""))
    return rows


Row = tuple[str, str, float, str]


def _measure_generated(args: argparse.Namespace, python: str) -> tuple[list[Row], list[str]]:
    count = args.modules * args.functions
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        wanted = generate(root, args.modules, args.functions)
        (Path(tmp) / "wanted.json").write_text(json.dumps(wanted))
        cli = [python, "-m", "kfp_templates", "validate", str(root), "--format", "json"]
        large, code = _time(cli, args.repeat)
        check = [python, "-c", _IMPORT_CHECK, str(root), str(Path(tmp) / "wanted.json")]
        imported, import_code = _time(check, args.repeat)
        phases = _phases(root, wanted)
    rows: list[Row] = [
        ("generated repo: validate CLI", f"{count} functions", large, f"exit {code}"),
        ("  per function", "", large / count, ""),
        *phases,
        ("generated repo: import + inspect", f"{count} functions", imported, f"exit {import_code}"),
        ("  ratio validate CLI / import", "", large / imported, ""),
        ("  ratio user-code check / import", "", phases[-1][2] / imported, ""),
    ]
    target = LARGE_TARGET_S * count / 10_000
    missed = (
        []
        if code == 0 and large < target
        else [f"generated repo: {large:.3f} s (exit {code}), target {target:.3g} s"]
    )
    return rows, missed


def _measure_typical(args: argparse.Namespace, python: str) -> tuple[list[Row], list[str]]:
    repeat = max(args.repeat, 5)
    typical, code = _time([python, "-m", "kfp_templates", "validate", str(BASE_CASE)], repeat)
    baseline, _ = _time([python, "-c", "pass"], repeat)
    rows: list[Row] = [
        ("typical repo: validate CLI", "tests/cases/base", typical, f"exit {code}"),
        ("python -c pass", "baseline", baseline, ""),
        ("  ratio typical / baseline", "", typical / baseline, ""),
    ]
    missed = (
        []
        if code == 0 and typical < TYPICAL_TARGET_S
        else [f"typical repo: {typical:.3f} s (exit {code}), target {TYPICAL_TARGET_S} s"]
    )
    return rows, missed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every target is met."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--functions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    typical_rows, typical_missed = _measure_typical(args, sys.executable)
    large_rows, large_missed = _measure_generated(args, sys.executable)
    _print([*large_rows, *typical_rows])
    for line in [*large_missed, *typical_missed]:
        print(f"MISSED: {line}")
    return 1 if large_missed or typical_missed else 0


def _print(rows: list[Row]) -> None:
    print(f"{'measurement':36} {'input':18} {'value':>12}  note")
    for name, what, value, note in rows:
        if "ratio" in name:
            shown = f"{value:10.2f} x"
        elif value < 0.01:
            shown = f"{value * 1e6:9.1f} us"
        else:
            shown = f"{value:10.3f} s"
        print(f"{name:36} {what:18} {shown:>12}  {note}")


if __name__ == "__main__":
    sys.exit(main())
