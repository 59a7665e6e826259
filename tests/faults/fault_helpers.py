"""A small real project (batch_prediction with its reference code) and ways to run the CLI on it
as a subprocess: to completion, or started and then interrupted like Ctrl-C in a terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers import Interrupted, free_port, interrupt_process

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "producer_templates" / "batch_prediction"


@dataclass(frozen=True)
class Sandbox:
    """A copy of batch_prediction under `root/project`, with private HOME and TMPDIR."""

    root: Path

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def reference(self) -> Path:
        """Where the consumer's part (user/, config.yaml) lives in a template directory."""
        return self.project / "reference"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    def env(self) -> dict[str, str]:
        return {**os.environ, "HOME": str(self.home), "TMPDIR": str(self.tmp),
                "PYTHONDONTWRITEBYTECODE": "1"}


def make_sandbox(root: Path, config_extra: str = "") -> Sandbox:
    """Copy the template (no outputs), make HOME and TMPDIR, append `config_extra` to config."""
    sandbox = Sandbox(root)
    shutil.copytree(TEMPLATE, sandbox.project,
                    ignore=shutil.ignore_patterns("local_outputs", "__pycache__", "build"))
    sandbox.home.mkdir()
    sandbox.tmp.mkdir()
    if config_extra:
        config = sandbox.reference / "config.yaml"
        config.write_text(config.read_text(encoding="utf-8") + config_extra, encoding="utf-8")
    return sandbox


def replace_predict(sandbox: Sandbox, body: str) -> None:
    """Give the reference `predict` a new body (indented four spaces)."""
    path = sandbox.reference / "user" / "predict.py"
    text = path.read_text(encoding="utf-8")
    head, _ = text.split("    return pd.Series(model.predict(df)", 1)
    path.write_text(head + body + "\n    return pd.Series(model.predict(df), index=df.index, "
                    "name=\"prediction\")\n", encoding="utf-8")


def cli_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "kfp_templates", *args]


def run_cli(sandbox: Sandbox, *args: str, timeout: float = 300,
            preexec_fn: Callable[[], None] | None = None,
            extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI to completion; cwd is the sandbox root."""
    env = {**sandbox.env(), **(extra_env or {})}
    return subprocess.run(cli_argv(*args), cwd=sandbox.root, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False,
                          preexec_fn=preexec_fn)


def interrupt_after(sandbox: Sandbox, args: list[str], ready: Callable[[], bool],
                    timeout: float = 120) -> Interrupted:
    """The CLI in the sandbox, interrupted like Ctrl-C once `ready()`; see `interrupt_process`."""
    return interrupt_process(cli_argv(*args), ready, cwd=sandbox.root, env=sandbox.env(),
                             timeout=timeout)


def closed_port() -> int:
    """A loopback port nothing listens on."""
    return free_port()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_dead(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not pid_alive(pid)


def stray_temporaries(root: Path) -> list[str]:
    """Files that look like an unfinished atomic write (mkstemp names, *.tmp, *.part)."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*")
        if p.is_file() and (p.suffix in (".tmp", ".part") or (p.name.startswith(".") and
                            p.suffix == ".yaml" and p.name.count(".") >= 3))
    )


def no_traceback_of_ours(text: str) -> bool:
    """True when no Python traceback runs through kfp_templates' own frames."""
    return "Traceback" not in text or "kfp_templates/" not in text.split("Traceback", 1)[1]

