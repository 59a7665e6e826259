"""The producer checks that need kfp: compile each template, run it on kfp.local.

kfp is imported only inside these functions (through `kfp_templates._kfp`), so `producer check
--no-run` without the kfp extra still checks everything else and says what it skipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kfp_templates._errors import KfpTemplatesError
from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._kfp.project import default_image
from kfp_templates._rules import ver as rules

if TYPE_CHECKING:
    from kfp_templates._project_loader import LoadedProject

_KFP_MISSING = "install the kfp extra: pip install 'kfp-templates[kfp]'"


def unavailable(what: str, error: ImportError, where: str) -> Finding:
    """A warning that a check was skipped because part of the tool is not installed."""
    return Finding(
        rules.CHECK_UNAVAILABLE,
        f"{what} skipped: {error}",
        Location(where),
        _KFP_MISSING,
        Severity.WARNING,
    )


def check_compiles(prepared: LoadedProject, where: str) -> list[Finding]:
    """VER404 when the template's pipeline does not compile with its reference config."""
    try:
        from kfp_templates._kfp.compiling import compile_project  # noqa: PLC0415 - kfp only when compiling
    except ImportError as error:
        return [unavailable("compile", error, where)]
    with tempfile.TemporaryDirectory(prefix="kfp-templates-check-") as scratch:
        output = Path(scratch) / f"{prepared.contract.name}.yaml"
        try:
            compile_project(prepared, output, default_image(prepared.config))
        except KfpTemplatesError as error:
            return [_compile_failed(error.message, error.hint, where)]
        except Exception as error:  # the producer's pipeline code may raise anything
            return [_compile_failed(f"{type(error).__name__}: {error}", "", where)]
    return []


def _compile_failed(message: str, hint: str, where: str) -> Finding:
    return Finding(
        rules.COMPILE_FAILS,
        message,
        Location(where),
        hint or "fix the template's pipeline.py or components",
    )


def check_runs(prepared: LoadedProject, where: str, step_timeout: float) -> list[Finding]:
    """VER405 when the template does not run on kfp.local with its reference code."""
    try:
        from kfp_templates._kfp.local_run import (  # noqa: PLC0415 - kfp only when running
            LocalRunRequest,
            run_local,
        )
    except ImportError as error:
        return [unavailable("local run", error, where)]
    with tempfile.TemporaryDirectory(prefix="kfp-templates-run-") as scratch:
        request = LocalRunRequest(
            ref=prepared.ref,
            root=prepared.layout.root,
            image=default_image(prepared.config),
            config=prepared.config,
            pipeline_root=Path(scratch) / "outputs",
            step_timeout=step_timeout,
            log_path=Path(scratch) / "run.log",
        )
        outcome = run_local(request)
        if outcome.ok:
            return []
        if outcome.status == "unsupported":  # a container component: not a broken template
            return [_not_run_locally(outcome.step, outcome.message, where)]
        step = f"step {outcome.step!r}: " if outcome.step else ""
        detail = f"\n{outcome.user_traceback}" if outcome.user_traceback else ""
        return [
            Finding(
                rules.LOCAL_RUN_FAILS,
                f"{step}{outcome.status}: {outcome.message}{detail}",
                Location(where),
                f"debug with `kfp-templates run --local {prepared.layout.template_dir}`",
            )
        ]


def _not_run_locally(step: str, message: str, where: str) -> Finding:
    return Finding(
        rules.CHECK_UNAVAILABLE,
        f"local run stopped at step {step!r}: {message}",
        Location(where),
        "nothing to fix: the step runs on Vertex AI and KFP; the steps before it ran",
        Severity.WARNING,
    )
