"""The warm local runner: kfp.local's SubprocessRunner, each step forked from a warm zygote.

kfp.local's SubprocessTaskHandler hands every step to one module-level function,
`kfp.local.subprocess_task_handler.run_local_subprocess(full_command, env_vars) -> int`, which
starts `full_command` and prints its output line by line. `installed()` puts `WarmRunner.run` in
its place for one run: a lightweight Python step (kfp's `sh -ec SCRIPT SOURCE ARGS...` command)
runs in a fork of the zygote (`warm_zygote`), which imported kfp's executor and the template's
libraries once; anything else (a pip install prefix, a script this module does not recognise,
`PYTHON*` variables the step sets, a zygote that is gone) goes to kfp's own function unchanged.
kfp.local still builds the executor input, validates the step (container components are refused
exactly as before), reads the outputs and logs the step. See decision 15.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import inspect
import json
import os
import re
import socket
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kfp import dsl
from kfp.local import subprocess_task_handler as handler

from kfp_templates._records import record

#: kfp's step script (kfp.dsl.component_factory), after kfp.local put its Python in.
_SCRIPT = re.compile(
    r'program_path=\$\(mktemp -d\)\s+printf "%s" "\$0" > "\$program_path/ephemeral_component\.py"'
    r"\s+_KFP_RUNTIME=true (?P<python>\S+) -m kfp\.dsl\.executor_main\s+--component_module_path"
    r'\s+"\$program_path/ephemeral_component\.py"\s+"\$@"\s*'
)
RunSubprocess = Callable[..., int]


class HookMoved(RuntimeError):
    """kfp changed the place the warm runner hooks into; the message names what moved."""


@record
class StepCommand:
    """A lightweight component's step: its source and the executor's arguments."""

    source: str
    args: tuple[str, ...]


def parse_step_command(full_command: list[str], python: str) -> StepCommand | None:
    """The step `full_command` runs, when it is kfp's plain script run by `python`; else None."""
    if len(full_command) < 4 or full_command[:2] != ["sh", "-ec"]:
        return None
    match = _SCRIPT.fullmatch(full_command[2])
    if match is None or match.group("python") != python:
        return None
    return StepCommand(full_command[3], tuple(full_command[4:]))


def check_hook() -> None:
    """Raise HookMoved naming the kfp attribute or signature the warm runner no longer finds."""
    function = getattr(handler, "run_local_subprocess", None)
    where = "kfp.local.subprocess_task_handler.run_local_subprocess"
    if function is None:
        raise HookMoved(f"{where} is gone")
    parameters = list(inspect.signature(function).parameters)
    if parameters != ["full_command", "env_vars"]:
        raise HookMoved(f"{where} now takes {parameters}, not ['full_command', 'env_vars']")
    run = getattr(getattr(handler, "SubprocessTaskHandler", None), "run", None)
    if run is None or "run_local_subprocess" not in run.__code__.co_names:
        raise HookMoved(f"SubprocessTaskHandler.run no longer calls {where} by its module name")
    command = _compiled_step_command()
    if parse_step_command(command, "python3") is None:
        raise HookMoved(
            "kfp.dsl.component_factory's step script changed; the warm runner no longer "
            f"recognises {command[:3]!r}"
        )


def _compiled_step_command() -> list[str]:
    """The command kfp compiles for a lightweight component, placeholders in."""

    def probe():  # type: ignore[no-untyped-def] # kfp reads a postponed "None" as an artifact
        """Nothing: only its compiled command matters."""

    # an explicit image: the probe runs in none, and kfp warns about its default changing
    component = dsl.component(probe, base_image="python:3.11-slim", install_kfp_package=False)
    container = component.component_spec.implementation.container
    assert container is not None
    return [str(part) for part in [*(container.command or []), *(container.args or [])]]


class WarmRunner:
    """The zygote process, and the function that stands in for kfp's `run_local_subprocess`."""

    def __init__(self) -> None:
        """Start the zygote now, so its imports overlap the pipeline's build."""
        self._control, theirs = socket.socketpair()
        self._zygote = subprocess.Popen(
            [sys.executable, "-m", "kfp_templates._kfp.warm_zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "_KFP_RUNTIME": "true"},
        )
        theirs.close()
        self._lock = threading.Lock()
        self._broken = False

    def preload(self, modules: Iterable[str]) -> None:
        """Have the zygote import `modules` (it does while this process goes on)."""
        self._request({"kind": "preload", "modules": sorted(modules)}, ())

    def run(self, original: RunSubprocess, full_command: list[str], env_vars: Any) -> int:
        """Run one step as kfp's `run_local_subprocess` would; its exit code."""
        step = parse_step_command(list(full_command), sys.executable)
        sets_python = any(str(name).startswith("PYTHON") for name in env_vars or {})
        if step is None or sets_python or self._broken:  # read at interpreter start: a new one
            return original(full_command=full_command, env_vars=env_vars)
        env = {**os.environ, **(env_vars or {}), "_KFP_RUNTIME": "true"}
        body = {"kind": "step", "source": step.source, "args": step.args, "env": env}
        reader, writer = os.pipe()
        reply = self._request({**body, "cwd": os.getcwd()}, (writer,), reader)
        if "returncode" in reply:
            return int(reply["returncode"])
        self._broken = True
        return original(full_command=full_command, env_vars=env_vars)

    def _request(self, body: dict[str, Any], fds: tuple[int, ...], reader: int = -1) -> Any:
        """Send `body` and hand over `fds` (closed here); stream `reader` as kfp does.

        The zygote's reply, {} when there is none.
        """
        mine, theirs = socket.socketpair()
        pending = list(fds)
        with mine:
            try:
                with self._lock:
                    socket.send_fds(self._control, [b"r"], [theirs.fileno(), *fds])
                theirs.close()
                while pending:  # the zygote holds them now: the step's end is our EOF
                    os.close(pending.pop())
                mine.sendall(json.dumps(body).encode("utf-8"))
                mine.shutdown(socket.SHUT_WR)
            except OSError:
                self._broken = True
            finally:
                theirs.close()
                while pending:
                    os.close(pending.pop())
            if reader >= 0:
                _print_lines(reader)
            return _reply(mine)

    def close(self) -> None:
        """End the zygote: closing the control socket ends its loop."""
        self._control.close()
        try:
            self._zygote.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._zygote.kill()
            self._zygote.wait()


def _print_lines(reader: int) -> None:
    """As kfp's `run_local_subprocess` does with a step's output: print each line, then a gap."""
    with open(reader, encoding=None, closefd=True) as stream:
        for line in iter(stream.readline, ""):
            print(line, end="")
        print("\n")


def _reply(mine: socket.socket) -> Any:
    chunks = []
    with contextlib.suppress(OSError):
        while chunk := mine.recv(1 << 16):
            chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        return {}


@contextlib.contextmanager
def installed(runner: WarmRunner) -> Iterator[None]:
    """Route kfp.local's steps through `runner` for the duration of the block."""
    original = handler.run_local_subprocess

    def run_local_subprocess(full_command: list[str], env_vars: Any = None) -> int:
        return runner.run(original, full_command, env_vars)

    handler.run_local_subprocess = run_local_subprocess
    try:
        yield
    finally:
        handler.run_local_subprocess = original


def libraries_imported_by(sources: Iterable[str], user_dir: Path) -> set[str]:
    """Installed modules the step sources and the files under `user_dir` import, by name."""
    texts = list(sources)
    texts += [path.read_text(encoding="utf-8", errors="replace") for path in user_dir.rglob("*.py")]
    names: set[str] = set()
    for text in texts:
        with contextlib.suppress(SyntaxError, ValueError):
            names |= _imports(ast.parse(text))
    roots = tuple({sysconfig.get_path(key) for key in ("stdlib", "purelib", "platlib")})
    return {name for name in names if _origin(name.partition(".")[0]).startswith(roots)}


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found - {"__future__"}


def _origin(top_level: str) -> str:
    """Where `top_level` would be imported from ("" when not found); imports nothing."""
    try:
        spec = importlib.util.find_spec(top_level)
    except (ImportError, ValueError):
        return ""
    if spec is None:
        return ""
    return spec.origin or next(iter(spec.submodule_search_locations or []), "")
