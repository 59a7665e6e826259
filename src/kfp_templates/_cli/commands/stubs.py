"""`kfp-templates stubs`: generate `user/` stubs and `config.yaml` from a contract.

Producers run it to regenerate `producer_templates/*/stubs/` (`--check` in CI fails on drift);
consumers run `--missing` after `copier update` to get stub files for new required modules,
without any existing file being touched.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kfp_templates._errors import ExitCode, UsageError

if TYPE_CHECKING:
    from kfp_templates.contract import Contract

PRODUCER_DIR = "producer_templates"
STUBS_DIR = "stubs"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `stubs` parser."""
    parser = subparsers.add_parser(
        "stubs",
        help="generate user/ stubs and config.yaml from a contract",
        description="Producer: regenerate TEMPLATE_DIR/stubs/ for each template (default: every "
        "producer_templates/*); --check reports drift instead (exit 1). Consumer: --missing "
        "writes stubs only for required modules absent from the project's user/.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="template directories, or with --missing the project (default .)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when committed stubs differ from the contract",
    )
    mode.add_argument(
        "--missing",
        action="store_true",
        help="consumer side: add stub files that do not exist yet, touch nothing else",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Dispatch to the consumer or producer mode."""
    if args.missing:
        if len(args.paths) > 1:
            raise UsageError(
                "--missing takes one project directory", hint="run it once per project"
            )
        return _missing(args.paths[0] if args.paths else Path("."))
    return _producer(args.paths or _all_templates(Path(".")), check=args.check)


def _all_templates(root: Path) -> list[Path]:
    base = root / PRODUCER_DIR
    found = sorted(path.parent for path in base.glob("*/contract.yaml"))
    if not found:
        raise UsageError(
            f"no {PRODUCER_DIR}/*/contract.yaml under {root.resolve()}",
            hint="run in the kfp-templates repository or pass template directories",
        )
    return found


def _load(contract_path: Path, display: str) -> Contract:
    """The contract, or a ContractError carrying the findings' text."""
    from kfp_templates._errors import ContractError
    from kfp_templates._report import render
    from kfp_templates.contract import load_contract

    contract, findings = load_contract(contract_path, display)
    if contract is None:
        sys.stderr.write(render(findings, "text", checked=display, for_producer=True) + "\n")
        raise ContractError(
            f"{display} is not a valid contract; no stubs were written",
            hint="fix the findings above, then run `kfp-templates stubs` again",
        )
    return contract


def _producer(templates: list[Path], *, check: bool) -> int:
    from kfp_templates import _stubs

    problems: list[str] = []
    for template in templates:
        contract = _load(template / "contract.yaml", str(template / "contract.yaml"))
        stubs = _stubs.render_stubs(contract)
        target = template / STUBS_DIR
        if check:
            problems.extend(_stubs.drift(stubs, target))
            continue
        for path in _stubs.stale_files(stubs, target):
            path.unlink()
            sys.stdout.write(f"removed {path} (no longer in the contract)\n")
        for path in _stubs.write_stubs(stubs, target):
            sys.stdout.write(f"wrote {path}\n")
    for problem in problems:
        sys.stdout.write(f"{problem}\n")
    if problems:
        sys.stdout.write("stubs are out of date: run `kfp-templates stubs` and commit the result\n")
        return int(ExitCode.FINDINGS)
    return int(ExitCode.OK)


def _missing(project: Path) -> int:
    from kfp_templates import _stubs
    from kfp_templates._layout import find_layout

    layout = find_layout(project)
    contract = _load(layout.contract_path, layout.display(layout.contract_path))
    missing = _stubs.missing_stubs(_stubs.render_stubs(contract), layout.root)
    _stubs.write_stubs(missing, layout.root)
    for stub in missing:
        sys.stdout.write(f"wrote {layout.display(layout.root / stub.path)} (was missing)\n")
    if not missing:
        sys.stdout.write("nothing missing: every required module and config.yaml exist\n")
    return int(ExitCode.OK)
