"""`kfp-templates run --local`: run the whole template pipeline on this machine with kfp.local.

Steps run under a child process (`kfp_templates._kfp.local_child`) with the project root as
working directory, so components import the consumer's `user/`: by default each in a fork of one
process that imported the template's libraries once (`--runner warm`, decision 15), or each in a
new interpreter as kfp.local's SubprocessRunner does (`--runner subprocess`). Each step is stopped
after `run.local.step_timeout_seconds`. Task options kfp.local ignores are warned about first.
At the end a table gives each step's status and time, the metrics the steps logged and where the
outputs are (`--format json`: one JSON document on stdout instead).
`--vertex` and `--kfp` runs are `kfp-templates submit`.

Each run gets its own directory under the pipeline root, named before the run starts
(`NAME-YYYYMMDD-HHMMSS-RANDOM/`, made with an exclusive mkdir), holding its log and kfp.local's
outputs, so two runs of one project at once never share or mistake each other's files. The
`last-run.txt` pointer beside them names the run that finished last; it is replaced atomically.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kfp_templates._layout import find_layout
from kfp_templates._report import printable, render

if TYPE_CHECKING:
    from kfp_templates._kfp.local_run import LocalRunResult
    from kfp_templates._project_loader import LoadedProject

LOG_NAME = "run.log"
LAST_RUN_NAME = "last-run.txt"
RUNNERS = ("warm", "subprocess")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `run` parser."""
    parser = subparsers.add_parser(
        "run",
        help="run the template pipeline locally on kfp.local (use `submit` for Vertex or KFP)",
        description="Validate the project, then run the whole pipeline locally with kfp.local's "
        "subprocess runner and your user/ code. Exit 0 succeeded, 1 findings or a failed or "
        "timed-out step, 2 bad input or a broken template, 3 internal error.",
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, help="project directory")
    parser.add_argument(
        "--local",
        action="store_true",
        help="run on this machine (kfp.local); the default, and the only place `run` runs",
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="print kfp.local's full log (it is always written to the run's own directory, "
        f"PIPELINE_ROOT/RUN/{LOG_NAME}; PIPELINE_ROOT/{LAST_RUN_NAME} names the last run)",
    )
    _add_run_options(parser)
    parser.set_defaults(handler=run)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--runner",
        choices=RUNNERS,
        default="warm",
        help="warm (default): import the template's libraries once and fork each step from "
        "that process; subprocess: a new interpreter per step (kfp.local's SubprocessRunner)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: a table of steps, metrics and outputs; json: the same as one JSON document "
        "on stdout (progress and errors stay on stderr)",
    )


def run(args: argparse.Namespace) -> int:
    """Validate, warn about ignored options, run locally and report outputs or the failure."""
    from kfp_templates._project_loader import load_project

    layout = find_layout(args.path)
    prepared, result = load_project(layout)
    if result.findings:
        sys.stderr.write(render(result.findings, "text", checked=str(args.path)) + "\n")
    if prepared is None:
        sys.stderr.write("nothing run: fix the errors above first\n")
        return int(result.exit_code)
    _warn_ignored(prepared)
    run_dir = _new_run_dir(prepared)
    outcome = _run(prepared, run_dir, verbose=args.verbose, runner=args.runner)
    _point_last_run(run_dir)
    code = _report(outcome, prepared, run_dir / LOG_NAME, text=args.format == "text")
    _print_summary(outcome, prepared, args.format, code)
    return code


def _warn_ignored(prepared: LoadedProject) -> None:
    from kfp_templates._kfp.task_options import locally_ignored_options

    ignored = locally_ignored_options(prepared.config.get("steps", {}))
    for step, option in ignored:
        sys.stderr.write(
            f"warning: steps.{step}.{option} is not honoured by local runs "
            "(kfp.local); it applies on Vertex AI and KFP\n"
        )


def _new_run_dir(prepared: LoadedProject) -> Path:
    """This run's own directory, new and empty: the exclusive mkdir fails rather than share one."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    run_dir = _outputs_root(prepared) / f"{prepared.contract.name}-{stamp}-{secrets.token_hex(4)}"
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    run_dir.mkdir()
    return run_dir


def _point_last_run(run_dir: Path) -> None:
    """Name `run_dir` in the pipeline root's last-run pointer, in one atomic replace."""
    from kfp_templates._images._atomic import write_text_atomic

    write_text_atomic(run_dir.parent / LAST_RUN_NAME, run_dir.name + "\n")


def _run(prepared: LoadedProject, run_dir: Path, *, verbose: bool, runner: str) -> LocalRunResult:
    from kfp_templates._kfp.local_run import LocalRunRequest, run_local
    from kfp_templates._kfp.project import default_image
    from kfp_templates._progress import reporting

    local = prepared.config.get("run", {}).get("local", {})
    request = LocalRunRequest(
        ref=prepared.ref,
        root=prepared.layout.root,
        image=default_image(prepared.config),
        config=prepared.config,
        pipeline_root=run_dir,
        step_timeout=float(local.get("step_timeout_seconds", 1800)),
        log_path=run_dir / LOG_NAME,
        runner=runner,
    )
    sys.stderr.write(f"running {prepared.contract.name} locally; log: {request.log_path}\n")
    with reporting("run") as progress:  # each step's start and end
        return run_local(request, _echo if verbose else _notes, progress)


def _echo(line: str) -> None:
    sys.stderr.write(line + "\n")


def _notes(line: str) -> None:
    """Print only the child's notes; steps are shown by the progress reporter."""
    if line.startswith("note: "):
        sys.stderr.write(line + "\n")


def _report(outcome: LocalRunResult, prepared: LoadedProject, log: Path, *, text: bool) -> int:
    if outcome.ok:
        if text:
            _print_outputs(outcome)
        return 0
    if outcome.status == "error":
        sys.stderr.write(f"error: the local run did not start: {outcome.message}\n")
        if outcome.user_traceback:
            sys.stderr.write(outcome.user_traceback + "\n")
        sys.stderr.write(f"  full log: {log}\n")
        return outcome.exit_code
    step = _step_name(outcome.step, prepared)
    verb = {"timeout": "timed out", "unsupported": "stopped the local run"}.get(
        outcome.status, "failed"
    )
    sys.stderr.write(f"error: step {step!r} {verb}: {outcome.message}\n")
    if outcome.user_traceback:
        sys.stderr.write(outcome.user_traceback + "\n")
    hint = outcome.hint or (
        "fix the user code the traceback points at (for a timeout: make "
        "it faster or raise run.local.step_timeout_seconds), then rerun"
    )
    sys.stderr.write(f"  hint: {hint}; full log: {log}\n")
    return 1


def _step_name(task: str, prepared: LoadedProject) -> str:
    """The contract's step name for a kfp task name (kfp writes `register_model` as
    `register-model`)."""
    steps = prepared.contract.pipeline.steps if prepared.contract.pipeline else ()
    candidate = task.replace("-", "_")
    return candidate if candidate in steps else task


def _print_outputs(outcome: LocalRunResult) -> None:
    from kfp_templates._kfp.local_summary import outputs_of

    sys.stdout.write(f"succeeded in {outcome.seconds:.1f}s; outputs in {outcome.run_dir}\n")
    if outcome.run_dir is not None:
        sys.stdout.writelines(f"  {path}\n" for path in outputs_of(outcome.run_dir))


def _print_summary(outcome: LocalRunResult, prepared: LoadedProject, fmt: str, code: int) -> None:
    """The closing table (text) or the whole outcome as one JSON document (json), on stdout."""
    import json

    from kfp_templates._kfp.local_summary import summary, summary_text

    tasks = {*outcome.step_seconds, outcome.step}
    document = summary(outcome, {task: _step_name(task, prepared) for task in tasks if task})
    if fmt == "json":
        document = {**document, "exit_code": code, "message": outcome.message}
        sys.stdout.write(json.dumps(document, indent=2, default=str) + "\n")
    elif document["steps"]:
        sys.stdout.write("\n" + printable(summary_text(document)) + "\n")


def _outputs_root(prepared: LoadedProject) -> Path:
    local = prepared.config.get("run", {}).get("local", {})
    return prepared.layout.root / str(local.get("pipeline_root", "local_outputs"))
