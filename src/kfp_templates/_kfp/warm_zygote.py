"""The warm runner's zygote: import the template's libraries once, then run each step in a fork.

Started by `local_child` as `python -m kfp_templates._kfp.warm_zygote FD` in the project root,
with `_KFP_RUNTIME=true` (as kfp's step script sets it, so kfp is imported as a step imports it)
and its own output sent to /dev/null. It starts no thread and runs nothing but forks, so every
fork starts from one clean, single-threaded Python (decision 15).

Each message on the control socket `FD` is one byte carrying file descriptors: a request socket
(the JSON body arrives on it, the reply goes back on it) and, for a step, the write end of the
pipe that becomes the step's stdout and stderr. A step runs `kfp.dsl.executor_main` as `python -m`
would, in a fork whose environment, working directory and `sys.argv` are the step's own; the fork
then reports which library modules the step imported, and the zygote imports those too, so later
steps find them loaded.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import socket
import sys
import tempfile
import threading

from kfp_templates._kfp import warm_step

#: Imported before any request: kfp's executor, as every step imports it.
BASE_MODULES = ("kfp.dsl", "kfp.dsl.executor")


def main(argv: list[str]) -> int:
    """Serve requests on the control socket `argv[0]` until the other end closes it."""
    warm_step.die_with_parent()
    control = socket.socket(fileno=int(argv[0]))
    preload(BASE_MODULES)
    while True:
        message, fds, _flags, _address = socket.recv_fds(control, 1, 2)
        if not message:
            return 0
        with socket.socket(fileno=fds[0]) as request:
            body = json.loads(_read_all(request))
            if body["kind"] == "step":
                reply, learned = _serve_step(body, fds[1], control, request)
                request.sendall(json.dumps(reply).encode("utf-8"))
        # after the request is closed: the child goes on while this process imports
        preload(learned if body["kind"] == "step" else body["modules"])


def preload(modules: list[str] | tuple[str, ...]) -> None:
    """Import each module once; one that fails is left for the step to import (and report)."""
    for name in modules:
        if name in sys.modules:
            continue
        with contextlib.suppress(BaseException):
            importlib.import_module(name)


def _read_all(request: socket.socket) -> bytes:
    chunks = []
    while chunk := request.recv(1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _serve_step(
    body: dict[str, object], out_fd: int, control: socket.socket, request: socket.socket
) -> tuple[dict[str, object], list[str]]:
    """Fork, run the step in the fork, wait; the reply and the modules the step imported."""
    if threading.active_count() > 1:  # forking now could copy a lock some thread holds
        os.close(out_fd)
        return {"refused": "the warm runner's zygote has started a thread"}, []
    descriptor, learn_path = tempfile.mkstemp(prefix="kfp-templates-learned-")
    os.close(descriptor)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:  # the step: never returns
        control.close()
        request.close()
        warm_step.run_in_fork(body, out_fd, learn_path)
    os.close(out_fd)
    _, status = os.waitpid(pid, 0)
    learned = _learned(learn_path)
    return {"returncode": os.waitstatus_to_exitcode(status)}, learned


def _learned(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            names = json.load(handle)
    except (OSError, ValueError):
        names = []
    with contextlib.suppress(OSError):
        os.unlink(path)
    return [name for name in names if isinstance(name, str)]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
