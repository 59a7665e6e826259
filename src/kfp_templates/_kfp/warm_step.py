"""One step of the warm runner, inside a fork of the zygote: what `sh -ec SCRIPT` would have run.

kfp's step script writes the component source to `$(mktemp -d)/ephemeral_component.py` and runs
`_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main --component_module_path FILE "$@"`. Here the
fork does the same in-process: the step's environment, working directory and `sys.path[0]`, the
source written byte for byte, `kfp.dsl.executor_main` run as `__main__` with the same arguments,
and the exit the interpreter would make (thread join, atexit, flushed streams, the exit code).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import runpy
import signal
import sys
import sysconfig
import tempfile
import threading
from types import TracebackType
from typing import Any, NoReturn

EXECUTOR_MODULE = "kfp.dsl.executor_main"
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_LIBRARY_PATHS = ("stdlib", "platstdlib", "purelib", "platlib")


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (a no-op elsewhere)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def run_in_fork(body: dict[str, Any], out_fd: int, learn_path: str) -> NoReturn:
    """Run the step described by `body` with `out_fd` as stdout and stderr, then exit."""
    code = 1
    try:
        os.dup2(out_fd, 1)
        os.dup2(out_fd, 2)
        os.close(out_fd)
        die_with_parent()
        before = set(sys.modules)
        code = _run(body)
        code = _finish(code)
        _write_learned(before, learn_path)
    finally:
        os._exit(code)


def _run(body: dict[str, Any]) -> int:
    """The step as the interpreter would run it; its exit code."""
    _enter_step_environment(body)
    directory = tempfile.mkdtemp(prefix="tmp.")  # `mktemp -d`
    module_path = os.path.join(directory, "ephemeral_component.py")
    with open(module_path, "wb") as handle:  # `printf "%s" "$0"`: the bytes, no newline added
        handle.write(os.fsencode(body["source"]))
    sys.argv = [EXECUTOR_MODULE, "--component_module_path", module_path, *body["args"]]
    try:
        runpy.run_module(EXECUTOR_MODULE, run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        return _exit_code(stop)
    except BaseException as error:  # what the interpreter prints for an uncaught exception
        trace = _without_own_frames(error.__traceback__)
        sys.excepthook(type(error), error.with_traceback(trace), trace)  # it prints the error's
        return 1
    return 0


def _enter_step_environment(body: dict[str, Any]) -> None:
    os.chdir(body["cwd"])
    os.environ.clear()
    os.environ.update(body["env"])
    tempfile.tempdir = None  # computed again from this step's TMPDIR, as a new process would
    sys.path[0] = body["cwd"]  # `python -m` puts the working directory first
    numpy = sys.modules.get("numpy")
    if numpy is not None:  # a new interpreter seeds numpy's global generator afresh
        numpy.random.seed()


def _exit_code(stop: SystemExit) -> int:
    """The exit code Python gives `sys.exit(code)`: None 0, an int itself, else printed and 1."""
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code & 0xFF
    sys.stderr.write(f"{stop.code}\n")
    return 1


def _without_own_frames(trace: TracebackType | None) -> TracebackType | None:
    """Drop this module's frames, so the traceback starts at runpy as `python -m`'s does."""
    while trace is not None and trace.tb_frame.f_code.co_filename == __file__:
        trace = trace.tb_next
    return trace


def _finish(code: int) -> int:
    """End as the interpreter ends: wait for threads, run atexit, flush the streams."""
    try:
        threading._shutdown()  # type: ignore[attr-defined] # what Py_Finalize calls first
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except BaseException:
        return code or 1
    return code


def _write_learned(before: set[str], path: str) -> None:
    """Name the installed library modules the step imported (not user code, not the component).

    Only modules of the standard library and installed packages qualify: importing those again
    in the zygote runs no code of the project's.
    """
    libraries = tuple({sysconfig.get_path(key) for key in _LIBRARY_PATHS})
    learned = []
    for name in [name for name in sys.modules if name not in before]:
        origin = getattr(sys.modules.get(name), "__file__", None)
        if isinstance(origin, str) and origin.startswith(libraries) and name != "__main__":
            learned.append(name)
    with contextlib.suppress(OSError), open(path, "w", encoding="utf-8") as handle:
        json.dump(learned, handle)
