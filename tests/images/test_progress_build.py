"""Build progress from a real buildah build and push to the loopback registry: the phases, one line
per Dockerfile step and per blob in plain mode, and the live display on a pseudo-terminal.

Uses the image tests' rig (conftest.py), so the slow parts happen once per module.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import pytest
from _infra import BASE_IMAGE, Rig

from kfp_templates._cli.main import main

pytestmark = pytest.mark.slow
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def _argv(project: Path, rig: Rig, namespace: str) -> list[str]:
    return [
        "build",
        str(project),
        "--push",
        "--registry",
        f"{rig.registry}/{namespace}",
        "--base-image",
        BASE_IMAGE,
        "--no-tls-verify",
        "--tool-wheel",
        str(rig.tool_wheel),
    ]


def _instructions(project: Path) -> list[str]:
    """The Dockerfile's instructions, as buildah numbers its steps."""
    dockerfile = (project / ".kfp-build" / "context" / "Dockerfile").read_text()
    joined = dockerfile.replace("\\\n", " ")
    return [line for line in joined.splitlines() if re.match(r"^[A-Z]+ ", line)]


def test_plain_build_progress_names_every_phase_step_and_blob(
    rig: Rig,
    project_factory: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = project_factory(tmp_path / "project")
    assert main(_argv(project, rig, "plain")) == 0, capsys.readouterr().err
    out, err = capsys.readouterr()
    assert re.fullmatch(rf"{re.escape(rig.registry)}/plain/\S+@sha256:[0-9a-f]{{64}}\n", out), out
    lines = [line for line in err.splitlines() if line.startswith("build: ")]
    phases = [line.split(": ")[1] for line in lines]
    assert list(dict.fromkeys(phases)) == ["resolving", "wheels", "tool", "layers", "push"], lines

    instructions = _instructions(project)
    steps = [
        m.groups() for m in map(re.compile(r"^build: layers: (\d+)/(\d+): (.*)$").match, lines) if m
    ]
    [total] = {int(total) for _done, total, _what in steps}
    assert [int(done) for done, _total, _what in steps] == list(range(1, total + 1)), steps
    keywords = [what.split()[0] for _done, _total, what in steps]
    # the Dockerfile's instructions, then buildah's own LABEL step for each --label
    assert keywords[: len(instructions)] == [line.split()[0] for line in instructions]
    assert set(keywords[len(instructions) :]) == {"LABEL"}
    assert steps[0][2] == f"FROM {BASE_IMAGE}"

    pushed = [line for line in lines if line.startswith("build: push: ")]
    assert pushed[0].startswith(f"build: push: {rig.registry}/plain/")
    assert any(re.fullmatch(r"build: push: copying blob sha256:[0-9a-f]{12}", x) for x in pushed)
    assert pushed.count("build: push: writing manifest") == 2  # the content tag, the version tag
    assert all("\r" not in line and "\x1b" not in line for line in err.splitlines())


def test_live_build_progress_on_a_terminal(
    rig: Rig, project_factory: Callable[[Path], Path], tmp_path: Path
) -> None:
    """The same build with standard error on a pseudo-terminal: rich draws it, every phase ends
    marked done, and standard output is still only the image reference."""
    project = project_factory(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env["TERM"] = "xterm-256color"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-m", "kfp_templates", *_argv(project, rig, "live")],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(slave)
    terminal = _read_all(master, child)
    assert child.stdout is not None
    out = child.stdout.read()
    assert child.wait(timeout=60) == 0, terminal.decode(errors="replace")[-3000:]
    assert re.fullmatch(rb"\S+/live/\S+@sha256:[0-9a-f]{64}\n", out), out
    assert b"\x1b[" in terminal and b"build: layers" not in terminal  # live rows, not plain lines
    last = ANSI.sub(b"", terminal.rsplit(b"\x1b[2K", 1)[-1]).decode()
    rows = [row.strip() for row in last.replace("\r", "\n").splitlines() if row.strip()]
    done = [row.split()[1].rstrip(":") for row in rows if row.startswith("✓")]
    assert done == ["resolving", "wheels", "tool", "layers", "push"], rows
    assert any(re.search(r"layers: (\d+)/\1: LABEL ", row) for row in rows), rows


def _read_all(master: int, child: subprocess.Popen[bytes]) -> bytes:
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 900)
        if not ready:
            child.kill()
            pytest.fail("the build under the pseudo-terminal did not finish in 900s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks)
