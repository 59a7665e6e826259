"""`kfp-templates upgrade-check` (alias `diff`): what must change before `copier update`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kfp_templates._layout import find_layout
from kfp_templates._report import FORMATS, render

if TYPE_CHECKING:
    from kfp_templates._producer.upgrade import TargetContract, UpgradeReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `upgrade-check` parser and its `diff` alias."""
    parser = subparsers.add_parser(
        "upgrade-check",
        aliases=["diff"],
        help="before `copier update`: what your code and config must change for a new release",
        description="Load the template's contract at REF from the template source recorded in "
        ".copier-answers.yml (or from --contract FILE), validate user/ and config.yaml against "
        "it, and list the contract changes, breaking ones first. Nothing is written. Exit 0 "
        "nothing to change, 1 code or config must change, 2 bad input or a broken contract, "
        "3 internal error.",
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, help="project directory")
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--to",
        metavar="REF",
        help="tag or commit of the template source (default: its latest release)",
    )
    target.add_argument(
        "--contract",
        type=Path,
        metavar="FILE",
        help="contract file to check against instead of the template source",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the project against the target contract and print findings and changes."""
    from kfp_templates._producer.upgrade import upgrade_check

    layout = find_layout(args.path)
    report = upgrade_check(layout, _target(args, layout.root))
    text = render(report.findings, args.format, checked=f"{args.path} against {report.label}")
    if args.format == "text":
        text = _headline(report) + text
    sys.stdout.write(text + "\n")
    return int(report.exit_code)


def _target(args: argparse.Namespace, root: Path) -> TargetContract:
    from kfp_templates._errors import UsageError
    from kfp_templates._producer.upgrade import TargetContract, fetch_contract, read_answers

    if args.contract is not None:
        if not args.contract.is_file():
            raise UsageError(f"{args.contract} is not a file", hint="pass a contract.yaml")
        return TargetContract(args.contract.read_text(encoding="utf-8"), str(args.contract))
    answers = read_answers(root)
    template = str(answers.get("template") or "")
    if not template:
        raise UsageError(
            ".copier-answers.yml has no `template` answer", hint="pass --contract FILE"
        )
    return fetch_contract(str(answers["_src_path"]), args.to, template, root)


def _headline(report: UpgradeReport) -> str:
    from kfp_templates._rules.ver import NEW_MODULE

    if not report.new_version:
        return ""
    breaking = sum(change.breaking for change in report.changes)
    head = (
        f"contract {report.old_version} -> {report.new_version}: {breaking} breaking, "
        f"{len(report.changes) - breaking} compatible change(s)\n"
    )
    new_module = any(change.rule is NEW_MODULE for change in report.changes)
    tail = (
        "after `copier update`, `kfp-templates stubs --missing` writes stubs for new modules\n"
        if new_module
        else ""
    )
    return head + tail
