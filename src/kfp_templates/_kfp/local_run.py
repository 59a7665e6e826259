"""Run a template pipeline on kfp.local in a child process, with a per-step timeout.

kfp.local runs tasks one after another and has no timeout of its own, and a hung user function
would hang the tool. So the pipeline runs in a child process in its own session; this module
reads the child's log line by line, knows which step is running from kfp.local's log lines, and
kills the child's process group when a step outlives `step_timeout_seconds`. Nothing here
imports kfp: the child does.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from kfp_templates._kfp.step_log import StepLog
from kfp_templates._pipeline_ref import PipelineRef
from kfp_templates._progress import SILENT, Progress
from kfp_templates._records import field, record

SETUP_STEP = "(pipeline setup)"
#: Extra seconds allowed outside steps (starting Python, importing kfp, building the pipeline).
SETUP_GRACE = 60.0
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@record
class LocalRunRequest:
    """What to run locally and how.

    Attributes:
        ref: The template's pipeline factory.
        root: Project root (holds `user/`); the working directory of every task.
        image: Image name recorded in the pipeline (kfp.local does not pull it).
        config: Config with defaults applied.
        pipeline_root: Where kfp.local writes artifacts: this run's own directory, new or
            empty, so the one run directory kfp.local makes in it is this run's.
        step_timeout: Seconds one step (or the setup before the first) may take.
        log_path: File receiving the full kfp.local log.
        runner: "warm" (steps forked from one process that imported the libraries once,
            decision 15) or "subprocess" (kfp.local's SubprocessRunner as it is).
    """

    ref: PipelineRef
    root: Path
    image: str
    config: Mapping[str, Any]
    pipeline_root: Path
    step_timeout: float
    log_path: Path
    runner: str = "warm"


@record
class LocalRunResult:
    """How a local run ended.

    Attributes:
        status: "ok", "failed" (a step failed), "unsupported" (kfp.local cannot run a step),
            "timeout" or "error" (the run never started).
        run_dir: Directory of this run's artifacts, when known.
        step: The failing or timed-out step, when known.
        message: One-line summary for the terminal.
        hint: What to do, when the failure is not in the user's code (empty otherwise).
        user_traceback: The failing step's traceback, kfp's own frames removed.
        step_seconds: Wall time of each finished step.
        step_status: kfp.local's status of each finished step (SUCCESS, FAILURE).
        metric_outputs: Task name -> its Metrics and ClassificationMetrics outputs.
        seconds: Wall time of the whole run, child start to exit.
        exit_code: The exit code a command should return for this outcome.
    """

    status: str
    run_dir: Path | None = None
    step: str = ""
    message: str = ""
    hint: str = ""
    user_traceback: str = ""
    step_seconds: Mapping[str, float] = field(default_factory=dict)
    step_status: Mapping[str, str] = field(default_factory=dict)
    metric_outputs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    seconds: float = 0.0
    exit_code: int = 1

    @property
    def ok(self) -> bool:
        """Whether every step succeeded."""
        return self.status == "ok"


def run_local(
    request: LocalRunRequest,
    on_line: Callable[[str], None] | None = None,
    progress: Progress = SILENT,
) -> LocalRunResult:
    """Run the pipeline in a child process; `on_line` sees each log line (ANSI colours removed),
    `progress` each step's start and end."""
    request.pipeline_root.mkdir(parents=True, exist_ok=True)
    request.log_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kfp-templates-run-") as scratch:
        result_path = Path(scratch) / "result.json"
        request_path = Path(scratch) / "request.json"
        request_path.write_text(
            json.dumps(_child_request(request, result_path), default=str), encoding="utf-8"
        )
        started = time.monotonic()
        with request.log_path.open("w", encoding="utf-8") as log:
            log_state, timed_out = _supervise(request, request_path, log, on_line, progress)
        seconds = time.monotonic() - started
        return _result(result_path, log_state, timed_out, seconds, request.step_timeout)


def _child_request(request: LocalRunRequest, result_path: Path) -> dict[str, Any]:
    return {
        "template_dir": str(request.ref.template_dir.resolve()),
        "name": request.ref.name,
        "module": request.ref.module,
        "function": request.ref.function,
        "root": str(request.root.resolve()),
        "image": request.image,
        "config": dict(request.config),
        "pipeline_root": str(request.pipeline_root.resolve()),
        "result": str(result_path),
        "parent_pid": os.getpid(),
        "runner": request.runner,
    }


def _supervise(
    request: LocalRunRequest,
    request_path: Path,
    log: TextIO,
    on_line: Callable[[str], None] | None,
    progress: Progress = SILENT,
) -> tuple[StepLog, bool]:
    """Start the child, pass its log on and kill it when a step outlives the timeout."""
    state = StepLog(SETUP_STEP)

    def too_long() -> bool:
        limit = request.step_timeout + (0.0 if state.in_step else SETUP_GRACE)
        return state.running_for() > limit

    child = subprocess.Popen(
        [sys.executable, "-m", "kfp_templates._kfp.local_child", str(request_path)],
        cwd=request.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # TMPDIR: kfp's task scripts (`mktemp -d`) and kfp.local's workspace never clean up;
        # inside the scratch directory they go when the run ends, however it ends.
        env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(request_path.parent)},
    )
    try:
        for line in _lines(child, too_long):
            before = (state.current, state.in_step)
            state.feed(line)
            _announce(progress, before, state)
            log.write(line + "\n")
            if on_line is not None:
                on_line(line)
    except TimeoutError:
        _kill_group(child)
        return state, True
    except BaseException:
        _kill_group(child)  # interrupted: leave no orphaned task behind
        raise
    child.wait()
    return state, False


def _announce(progress: Progress, before: tuple[str, bool], state: StepLog) -> None:
    """Tell `progress` of the step a log line ended or started, as `state` (fed it) now says."""
    step, was_in_step = before
    if was_in_step and not state.in_step:
        status = "FAILURE" if state.last_failed == step else "SUCCESS"
        progress.step_finished(step, status, state.durations.get(step, 0.0))
    if state.in_step and (not was_in_step or state.current != step):
        progress.step_started(state.current)


def _lines(child: subprocess.Popen[bytes], too_long: Callable[[], bool]) -> Iterator[str]:
    """Lines of the child's output without ANSI colours; TimeoutError when `too_long()`.

    Read in this thread with a selector, not by a reader thread: Ctrl-C then always lands in
    code that kills the child, and no thread is left blocked on the pipe (holding its lock)
    while the interpreter shuts down.
    """
    assert child.stdout is not None
    fd = child.stdout.fileno()
    pending = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            if not selector.select(timeout=0.2):
                if too_long():
                    raise TimeoutError
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            *complete, pending = (pending + chunk).split(b"\n")
            yield from (_clean(line) for line in complete)
    if pending:
        yield _clean(pending)


def _clean(line: bytes) -> str:
    return _ANSI.sub("", line.decode("utf-8", errors="replace").rstrip("\r"))


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    """Kill the child and the task subprocess it started (same session, same group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


def _result(
    result_path: Path, state: StepLog, timed_out: bool, seconds: float, timeout: float
) -> LocalRunResult:
    if timed_out:
        return LocalRunResult(
            "timeout",
            step=state.current,
            step_seconds=state.durations,
            step_status=state.statuses,
            seconds=seconds,
            message=f"ran longer than step_timeout_seconds={timeout:g} and was stopped",
        )
    if not result_path.is_file():
        return LocalRunResult(
            "error",
            message="the local run ended without a result",
            user_traceback=state.tail(),
            seconds=seconds,
        )
    outcome = json.loads(result_path.read_text(encoding="utf-8"))
    return _from_outcome(outcome, state, seconds)


def _from_outcome(outcome: dict[str, Any], state: StepLog, seconds: float) -> LocalRunResult:
    status = outcome["status"]
    if status == "ok":
        run_dir = Path(outcome["run_dir"]) if outcome.get("run_dir") else None
        return LocalRunResult("ok", run_dir, exit_code=0, **_steps(outcome, state), seconds=seconds)
    if status in ("failed", "unsupported"):
        # kfp.local refuses some steps before they log an end: then the step it started last.
        step = outcome.get("task") or state.last_failed or (state.current if state.in_step else "")
        user_traceback = state.traceback_of(step) if status == "failed" else ""
        message = user_traceback.splitlines()[-1] if user_traceback else outcome["message"]
        return LocalRunResult(
            status,
            Path(outcome["run_dir"]) if outcome.get("run_dir") else None,
            step=step,
            message=message,
            hint=outcome.get("hint", ""),
            user_traceback=user_traceback,
            **_steps(outcome, state),
            seconds=seconds,
        )
    hint = outcome.get("hint", "")
    message = outcome["message"] + (f"\n  hint: {hint}" if hint else "")
    return LocalRunResult(
        "error", message=message, seconds=seconds, exit_code=int(outcome.get("exit_code", 1))
    )


def _steps(outcome: dict[str, Any], state: StepLog) -> dict[str, Any]:
    """What the summary table needs of the steps: times, statuses, metrics outputs."""
    metrics = outcome.get("metric_outputs") or {}
    return {
        "step_seconds": state.durations,
        "step_status": state.statuses,
        "metric_outputs": {task: tuple(names) for task, names in metrics.items()},
    }
