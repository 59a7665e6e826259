"""The README's quick start: scaffold a consumer project from this checkout and run it locally.

    python -m kfp_templates._demo [--dest DIR] [--template NAME]

Runs the same steps a consumer would: `copier copy` of this repository (the real copier API, the
working tree as `HEAD` so uncommitted template changes show), the producer's reference
implementation copied into `user/` so there is real code to run, `kfp-templates validate`, then
`kfp-templates run --local`. Each step is printed with where its output went; the exit code is
the first failing step's.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

from kfp_templates._errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DEST = ROOT / "build" / "demo-project"
DEFAULT_TEMPLATE = "tabular_training"
MARKER = ".kfp-templates-demo"


class DemoError(Exception):
    """A step failed; the message says which and what to do."""

    def __init__(self, message: str, code: int = ExitCode.FINDINGS) -> None:
        super().__init__(message)
        self.code = code


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m kfp_templates._demo", description=__doc__)
    parser.add_argument(
        "--dest",
        type=Path,
        default=DEFAULT_DEST,
        help=f"project directory to create (default {DEFAULT_DEST})",
    )
    parser.add_argument(
        "--template",
        default=DEFAULT_TEMPLATE,
        help=f"producer template to scaffold (default {DEFAULT_TEMPLATE})",
    )
    return parser.parse_args(argv)


def _check_source(template: str) -> Path:
    """The producer template directory, after checking this is a kfp-templates checkout."""
    if not (ROOT / "copier.yml").is_file():
        raise DemoError(
            f"{ROOT} has no copier.yml: run the demo from a kfp-templates checkout "
            "installed with `pip install -e .`",
            ExitCode.BAD_INPUT,
        )
    producer = ROOT / "producer_templates" / template
    if not (producer / "contract.yaml").is_file():
        known = sorted(p.parent.name for p in (ROOT / "producer_templates").glob("*/contract.yaml"))
        raise DemoError(
            f"no template {template!r}; choose one of {', '.join(known)}", ExitCode.BAD_INPUT
        )
    return producer


def _prepare_dest(dest: Path) -> None:
    """Empty a previous demo project; refuse any other existing, non-empty directory."""
    if not dest.exists():
        return
    if not dest.is_dir() or (any(dest.iterdir()) and not (dest / MARKER).is_file()):
        raise DemoError(
            f"{dest} exists and is not a demo project; pass --dest NEW_DIR or remove it yourself",
            ExitCode.BAD_INPUT,
        )
    shutil.rmtree(dest)


def _copy(dest: Path, template: str) -> None:
    from copier import run_copy  # noqa: PLC0415 - copier only when copying

    vcs_ref = "HEAD" if (ROOT / ".git").exists() else None  # HEAD renders the working tree
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DirtyLocalWarning: uncommitted changes are the point
            run_copy(
                str(ROOT),
                dest,
                data={"template": template},
                defaults=True,
                quiet=True,
                vcs_ref=vcs_ref,
            )
    except Exception as error:  # copier raises many types; every one ends the demo
        raise DemoError(f"copier copy failed: {type(error).__name__}: {error}") from None
    (dest / MARKER).write_text("made by `python -m kfp_templates._demo`; safe to delete\n")


def _use_reference(producer: Path, dest: Path) -> None:
    """Copy the producer's `reference/` (user/, and the config and data it runs with)."""
    reference = producer / "reference"
    if not (reference / "user").is_dir():
        raise DemoError(f"{reference / 'user'} is missing: the template has no reference code")
    shutil.copytree(
        reference,
        dest,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"),
    )


def _tool(dest: Path, *args: str) -> None:
    """Run `kfp-templates ARGS` in the project, as its noxfile would, streaming the output."""
    command = [sys.executable, "-m", "kfp_templates", *args]
    _say(f"$ kfp-templates {' '.join(args)}    (in {dest})")
    result = subprocess.run(command, cwd=dest, check=False)
    if result.returncode != 0:
        raise DemoError(
            f"`kfp-templates {' '.join(args)}` exited {result.returncode}", result.returncode
        )


def _steps(dest: Path, template: str) -> None:
    producer = _check_source(template)
    _prepare_dest(dest)
    started = time.perf_counter()
    _say(f"1/4 copier copy {ROOT} -> {dest} (template {template}, --defaults)")
    _copy(dest, template)
    _say(f"    done in {time.perf_counter() - started:.1f}s; stubs are in {dest / 'user'}")
    _say(f"2/4 reference implementation {producer / 'reference'} -> {dest} (user/, config.yaml)")
    _use_reference(producer, dest)
    _say("3/4 validate user/ and config.yaml against template_pipeline/contract.yaml")
    _tool(dest, "validate")
    _say("4/4 run the whole pipeline locally (kfp.local, warm runner)")
    _tool(dest, "run", "--local")
    _say(f"demo project: {dest}; pipeline outputs under {dest / 'local_outputs'}")
    _say(f"next: cd {dest} && nox -s validate tests run   (see its README.md)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; 0 when every step passed, else the failing step's exit code."""
    args = _parse(argv)
    try:
        _steps(args.dest.resolve(), args.template)
    except DemoError as error:
        sys.stderr.write(f"demo failed: {error}\n")
        return int(error.code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return int(ExitCode.INTERRUPTED)
    return int(ExitCode.OK)


if __name__ == "__main__":
    raise SystemExit(main())
