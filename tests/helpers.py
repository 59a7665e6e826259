"""Test helpers shared by many test modules."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

CASES = Path(__file__).parent / "cases"
DELETE = "<delete>"


def build_file_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root`; `<delete>` removes a path."""
    for relative, content in files.items():
        path = root / relative
        if content == DELETE:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def materialise_case(case_dir: Path, target: Path) -> Path:
    """Copy the base project, then overlay the case's files; `*.delete` files remove paths.

    A case directory holds only what differs from `tests/cases/base/` plus `expected.yaml`.
    A file named `X.delete` deletes `X` from the base copy.
    """
    shutil.copytree(CASES / "base", target)
    for source in sorted(case_dir.rglob("*")):
        relative = source.relative_to(case_dir)
        if source.is_dir() or relative.as_posix() == "expected.yaml":
            continue
        if source.name.endswith(".delete"):
            doomed = target / relative.with_name(source.name.removesuffix(".delete"))
            shutil.rmtree(doomed) if doomed.is_dir() else doomed.unlink(missing_ok=True)
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    return target


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released): for a server to start on, or
    for a client to be refused by."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Interrupted(NamedTuple):
    """How an interrupted command ended. `landed` is False when it had already exited before the
    signal was sent: such a run says nothing about interruption, and its tests must not pass it
    off as one."""

    code: int
    err: str
    seconds: float
    landed: bool


def interrupt_process(
    argv: Sequence[str],
    ready: Callable[[], bool],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> Interrupted:
    """Start `argv` in its own process group, wait for `ready()`, then SIGINT the whole group
    (what Ctrl-C in a terminal does)."""
    process = subprocess.Popen(list(argv), cwd=cwd, env=None if env is None else dict(env),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + timeout
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    signalled = time.monotonic()
    landed = process.poll() is None
    if landed:
        os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # Never leave the run behind: kill its group, then fail with what it printed.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        raise AssertionError(
            f"{argv[2:]} did not exit within {timeout:g}s of SIGINT; killed. stderr:\n{err[-3000:]}"
        ) from None
    return Interrupted(process.returncode, err, time.monotonic() - signalled, landed)
