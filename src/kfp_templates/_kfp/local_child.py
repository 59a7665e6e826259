"""Child process of `run --local`: build the template pipeline and run it on kfp.local.

Started as `python -m kfp_templates._kfp.local_child REQUEST.json` with the project root as
working directory, so task subprocesses (which inherit it) can `import user`. kfp.local has no
timeouts, so the parent watches this process and kills its whole process group when a step runs
too long. The outcome goes to the result file named in the request; logs go to stdout. The
pipeline root is this run's alone, so the one directory kfp.local makes in it holds its outputs.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import signal
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from google.protobuf import json_format
from kfp import local

from kfp_templates._errors import ExitCode, KfpTemplatesError
from kfp_templates._kfp.context import TemplateContext
from kfp_templates._kfp.loader import build_pipeline
from kfp_templates._kfp.local_limits import REFUSAL, local_limits
from kfp_templates._kfp.local_summary import metric_outputs
from kfp_templates._kfp.warm_runner import (
    HookMoved,
    WarmRunner,
    check_hook,
    installed,
    libraries_imported_by,
)
from kfp_templates._pipeline_ref import PipelineRef

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_INNER_TASK = re.compile(r"Inner task failed: '([^']+)'")
_TASK = re.compile(r"Task '([^']+)' finished")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def main(argv: list[str]) -> int:
    """Run the pipeline described by the request file `argv[0]`; 0 on success, 1 otherwise."""
    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    if sys.platform == "linux":
        _die_with_parent(int(request["parent_pid"]))
    facts: dict[str, Any] = {}  # what the summary table needs, known before a step fails
    outcome = {**_run(request, facts), **facts}
    Path(request["result"]).write_text(json.dumps(outcome), encoding="utf-8")
    return 0 if outcome["status"] == "ok" else 1


def _run(request: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    try:
        _run_pipeline(request, facts)
    except KfpTemplatesError as error:
        return {
            "status": "error",
            "message": error.message,
            "hint": error.hint,
            "exit_code": int(error.exit_code),
        }
    except RuntimeError as error:
        return _failed(error)
    except Exception:
        return {
            "status": "error",
            "message": traceback.format_exc(),
            "hint": "",
            "exit_code": int(ExitCode.INTERNAL),
        }
    return {"status": "ok"}


def _run_pipeline(request: dict[str, Any], facts: dict[str, Any]) -> None:
    ref = PipelineRef(
        Path(request["template_dir"]), request["name"], request["module"], request["function"]
    )
    context = TemplateContext(
        request["image"], request["config"], Path(request["root"]), Path(request["template_dir"])
    )
    with _runner(request.get("runner", "subprocess")) as warm:
        pipeline = build_pipeline(ref, context)
        for limit in local_limits(pipeline, context.image):
            print(f"note: {limit.note}", flush=True)  # the parent shows lines starting "note: "
        facts["metric_outputs"] = metric_outputs(json_format.MessageToDict(pipeline.pipeline_spec))
        if warm is not None:
            warm.preload(libraries_imported_by(_step_sources(pipeline), context.root / "user"))
        local.init(
            runner=local.SubprocessRunner(use_venv=False),
            pipeline_root=request["pipeline_root"],
            raise_on_error=True,
        )
        try:
            with installed(warm) if warm is not None else contextlib.nullcontext():
                pipeline()
        finally:
            made = [path for path in Path(request["pipeline_root"]).iterdir() if path.is_dir()]
            facts["run_dir"] = str(made[0]) if len(made) == 1 else ""


@contextlib.contextmanager
def _runner(name: str) -> Iterator[WarmRunner | None]:
    """The warm runner's zygote, started first so its imports overlap the pipeline's build.

    None for `--runner subprocess`, and when this kfp release moved the hook (said in a note).
    """
    if name != "warm":
        yield None
        return
    try:
        check_hook()
    except HookMoved as moved:
        print(
            f"note: the warm runner does not fit this kfp release ({moved}); every step "
            "runs in a new interpreter (as with --runner subprocess)",
            flush=True,
        )
        yield None
        return
    warm = WarmRunner()
    try:
        yield warm
    finally:
        warm.close()


def _step_sources(pipeline: Any) -> list[str]:
    """The Python source of each lightweight step (the argument after kfp's `sh -ec SCRIPT`)."""
    spec = json_format.MessageToDict(pipeline.pipeline_spec)
    sources = []
    for executor in spec.get("deploymentSpec", {}).get("executors", {}).values():
        command = executor.get("container", {}).get("command", [])
        if len(command) >= 4 and command[:2] == ["sh", "-ec"]:
            sources.append(str(command[3]))
    return sources


def _failed(error: RuntimeError) -> dict[str, Any]:
    """A failed step; kfp.local's refusal of a container component says why in our words."""
    message = _plain(str(error))
    if REFUSAL not in message:
        return {"status": "failed", "message": message, "task": _failed_task(error)}
    return {
        "status": "unsupported",
        "message": "kfp.local cannot run a container component (a step not written as a "
        "lightweight Python component)",
        "hint": "the step runs on Vertex AI and KFP (`kfp-templates submit`); the notes before "
        "the run name each such step",
        "task": "",
    }


def _plain(text: str) -> str:
    return _ANSI.sub("", text)


def _failed_task(error: RuntimeError) -> str:
    text = _plain(str(error))
    match = _INNER_TASK.search(text) or _TASK.search(text)
    return match.group(1) if match else ""


def _die_with_parent(parent_pid: int) -> None:
    """End this run, task processes included, when the tool that started it dies.

    The tool kills this process group on Ctrl-C or a timeout, but when the tool itself is
    killed (SIGKILL, OOM) nothing would: this child runs in its own session. Linux sends the
    signal asked for here when the parent exits; elsewhere the parent's own handling remains.
    """
    signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:  # the parent died before prctl: no signal will come
        os.killpg(0, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
