"""Progress output (`kfp_templates._progress`): plain lines, a live display on a real
pseudo-terminal, standard output untouched, and rich never loaded where it is not drawing."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from kfp_templates._errors import ExternalServiceError
from kfp_templates._images._output import BUILDX_STEP, push_lines, step_lines
from kfp_templates._images._run import run_tool
from kfp_templates._progress import Mode, PlainProgress, Progress, choose_mode

from helpers import CASES

sys.path.insert(0, str(Path(__file__).parent / "submit"))  # the loopback KFP server and project

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


LIVE, LIVE_GREY, PLAIN = Mode(True, True), Mode(True, False), Mode(False, False)


@pytest.mark.parametrize(
    ("tty", "env", "passthrough", "expected"),
    [
        (True, {"TERM": "xterm-256color"}, False, LIVE),
        (True, {}, False, LIVE),
        (True, {"NO_COLOR": "1"}, False, LIVE_GREY),
        (True, {"CI": "true"}, False, PLAIN),
        (True, {"CI": "1"}, False, PLAIN),
        (True, {"CI": "false"}, False, LIVE),  # some tools turn CI behaviour off this way
        (True, {"CI": ""}, False, LIVE),
        (True, {"TERM": "dumb"}, False, PLAIN),
        (True, {}, True, PLAIN),  # --verbose: a subprocess writes to the terminal too
        (False, {}, False, PLAIN),
        (False, {"NO_COLOR": "1"}, False, PLAIN),
    ],
)
def test_choose_mode(tty: bool, env: dict[str, str], passthrough: bool, expected: Mode) -> None:
    assert choose_mode(_Stream(tty), env, passthrough=passthrough) == expected


def _build(progress: Progress) -> None:
    with progress.phase("resolving", "Python 3.11, kfp-image.lock"):
        pass
    with progress.phase("layers", "building reg/x:abc with buildah"):
        progress.advance("FROM base", 1, 2)
        progress.advance("RUN pip install --no-index", 2, 2)
    progress.note("reg/x:abc is already in the registry; nothing to build or push")


def _failed_phase(progress: Progress) -> None:
    with pytest.raises(ExternalServiceError), progress.phase("push", "reg/x:abc"):
        progress.advance("copying blob sha256:0123456789ab")
        raise ExternalServiceError("refused")
    progress.advance("after the phase")


def _steps(progress: Progress) -> None:
    progress.step_started("preprocess")
    progress.step_finished("preprocess", "SUCCESS", 1.25)
    progress.step_started("train")
    progress.step_finished("train", "FAILURE", 0.4)


def _states(progress: Progress) -> None:
    for state in ("PENDING", "RUNNING", "SUCCEEDED"):
        progress.state(state)


def _hostile(progress: Progress) -> None:
    progress.note("\x1b[31mred\x1b[0m\rline\none")


@pytest.mark.parametrize(
    ("command", "report", "lines"),
    [
        (
            "build",
            _build,
            [
                "build: resolving: Python 3.11, kfp-image.lock",
                "build: layers: building reg/x:abc with buildah",
                "build: layers: 1/2: FROM base",
                "build: layers: 2/2: RUN pip install --no-index",
                "build: reg/x:abc is already in the registry; nothing to build or push",
            ],
        ),
        (
            "build",
            _failed_phase,
            [
                "build: push: reg/x:abc",
                "build: push: copying blob sha256:0123456789ab",
                "build: after the phase",
            ],
        ),
        (
            "run",
            _steps,
            [
                "run: preprocess: started",
                "run: preprocess: succeeded in 1.2s",
                "run: train: started",
                "run: train: FAILURE after 0.4s",
            ],
        ),
        (
            "submit",
            _states,
            ["submit: state: PENDING", "submit: state: RUNNING", "submit: state: SUCCEEDED"],
        ),
        ("build", _hostile, ["build: red line one"]),
    ],
    ids=["build", "failed-phase", "steps", "states", "control-characters"],
)
def test_plain_lines(command: str, report: Callable[[Progress], None], lines: list[str]) -> None:
    stream = _Stream(False)
    report(PlainProgress(command, stream))
    assert stream.getvalue() == "".join(line + "\n" for line in lines)


# Lines as buildah 1.28 printed them for a three-step Dockerfile here, and a buildx and docker
# push line in the shape those print.
BUILDAH_BUD = """\
STEP 1/3: FROM localhost/base:1
STEP 2/3: RUN echo hi > /x
--> Using cache 3f2d2017a4120a03e5581f28d6dd166e8fce8b073913a37e2b98ad7e95ce3b22
--> 3f2d2017a41
STEP 3/3: COPY a /a
COMMIT localhost/t:1
Successfully tagged localhost/t:1"""
BUILDAH_PUSH = """\
Getting image source signatures
Copying blob sha256:9b3d838410bbd8ff09f48f8e0364af1c49af76762742ee82fc09cce14a6d0cbd
Copying blob sha256:b00fa1f77e7798ffd4d58c1ae1a606075817c0fa8368ec24420822c553abb014 done
Copying config sha256:a88e8aba9b04900fdb00d897d2e4065e18c7b1e16b7fefa01e0c0e21557fc510
Writing manifest to image destination
Storing signatures"""


@pytest.mark.parametrize(
    ("phase", "reader", "output", "lines"),
    [
        (
            "layers",
            step_lines,
            BUILDAH_BUD,
            [
                "layers: 1/3: FROM localhost/base:1",
                "layers: 2/3: RUN echo hi > /x",
                "layers: 3/3: COPY a /a",
            ],
        ),
        (
            "layers",
            lambda p: step_lines(p, BUILDX_STEP),
            "#5 [internal] load metadata\n#7 [2/3] RUN pip install x\n#8 [stage-1 3/3] COPY a /a",
            ["layers: 2/3: RUN pip install x", "layers: 3/3: COPY a /a"],
        ),
        (
            "push",
            push_lines,
            BUILDAH_PUSH,
            [
                "push: copying blob sha256:9b3d838410bb",
                "push: copying blob sha256:b00fa1f77e77",
                "push: copying config sha256:a88e8aba9b04",
                "push: writing manifest",
            ],
        ),
        (
            "push",
            push_lines,
            "0a1b2c3d4e5f: Pushed\n9f8e7d6c5b4a: Layer already exists\nv1: digest: sha256:ab",
            ["push: pushed: 0a1b2c3d4e5f", "push: layer already exists: 9f8e7d6c5b4a"],
        ),
    ],
    ids=["buildah-steps", "buildx-steps", "buildah-push", "docker-push"],
)
def test_builder_output_drives_the_phase(
    phase: str,
    reader: Callable[[Progress], Callable[[str], None]],
    output: str,
    lines: list[str],
) -> None:
    stream = _Stream(False)
    progress = PlainProgress("build", stream)
    with progress.phase(phase):
        on_line = reader(progress)
        for line in output.splitlines():
            on_line(line)
    assert stream.getvalue().splitlines() == [f"build: {phase}", *(f"build: {x}" for x in lines)]


def test_run_tool_hands_on_each_line_as_it_comes() -> None:
    seen: list[str] = []
    script = "echo one; echo two >&2; printf 'three\\r\\n'"
    output = run_tool(["sh", "-c", script], hint="", on_line=seen.append)
    assert seen == ["one", "two", "three"]
    assert output == "one\ntwo\nthree\n"  # text mode reads \r\n as a newline


def test_run_tool_following_lines_still_reports_the_failure() -> None:
    seen: list[str] = []
    with pytest.raises(ExternalServiceError) as raised:
        run_tool(["sh", "-c", "echo 'ERROR: no wheel'; exit 3"], hint="pin it", on_line=seen.append)
    assert seen == ["ERROR: no wheel"]
    assert "exit code 3" in raised.value.message and "ERROR: no wheel" in raised.value.message
    assert raised.value.hint == "pin it"


# --- the CLI in a real pseudo-terminal ------------------------------------------------------


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "TERM")}
    env.update(HOME=str(tmp_path / "home"), NO_PROXY="127.0.0.1,localhost", TERM="xterm-256color")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(name, None)
    env.update(extra)
    return env


def _run_with_tty_stderr(
    argv: Sequence[str], env: dict[str, str], *, tty: bool = True
) -> tuple[bytes, bytes, int]:
    """Run the CLI with standard error on a new pseudo-terminal (or a pipe) and standard output
    on a pipe; returns (stdout, stderr as the terminal got it, exit code)."""
    command = [sys.executable, "-m", "kfp_templates", *argv]
    if not tty:
        done = subprocess.run(command, env=env, capture_output=True, timeout=300)
        return done.stdout, done.stderr, done.returncode
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    child = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env
    )
    os.close(slave)
    terminal = b"".join(_read_until_closed(master, child))
    os.close(master)
    assert child.stdout is not None
    out = child.stdout.read()
    return out, terminal, child.wait(timeout=60)


def _read_until_closed(master: int, child: subprocess.Popen[bytes]) -> Iterator[bytes]:
    while True:
        ready, _, _ = select.select([master], [], [], 300)
        if not ready:
            child.kill()
            pytest.fail("the command under the pseudo-terminal did not finish in 300s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end of the terminal
            return
        if not chunk:
            return
        yield chunk


def _last_frame(terminal: bytes) -> list[str]:
    """The lines rich drew last (after its last erase-line), without escapes."""
    last = terminal.rsplit(b"\x1b[2K", 1)[-1]
    text = ANSI.sub(b"", last).decode("utf-8")
    return [line.strip() for line in text.replace("\r", "\n").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def case_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from case_pipeline import compile_case_pipeline  # noqa: PLC0415 - tests/submit, kfp

    return compile_case_pipeline(tmp_path_factory.mktemp("compiled") / "pipeline.yaml")


def _submit_wait(
    tmp_path: Path, pipeline: Path, env: dict[str, str], tty: bool
) -> tuple[bytes, bytes, int]:
    from loopback_servers import KfpFake, serving  # noqa: PLC0415 - tests/submit
    from submit_project import make_project  # noqa: PLC0415 - tests/submit

    fake = KfpFake()
    fake.run_states = ["PENDING", "RUNNING", "SUCCEEDED"]
    with serving(fake.server()) as server:
        project = make_project(tmp_path, run={"kfp": {"host": server.url}})
        argv = [
            "submit",
            str(project),
            "--engine",
            "kfp",
            "--pipeline",
            str(pipeline),
            "--wait",
            "--poll-interval",
            "0.3",
        ]
        return _run_with_tty_stderr(argv, env, tty=tty)


STDOUT = re.compile(
    rb"submitted run run-\d+\nhttp://127\.0\.0\.1:\d+/#/runs/details/run-\d+\n"
    rb"run finished: SUCCEEDED\n"
)


def test_submit_wait_on_a_terminal_draws_live_and_ends_readable(
    tmp_path: Path, case_pipeline: Path
) -> None:
    out, terminal, code = _submit_wait(tmp_path, case_pipeline, _env(tmp_path), tty=True)
    assert code == 0, terminal.decode(errors="replace")[-2000:]
    assert STDOUT.fullmatch(out), out  # stdout exactly the command's own lines
    assert b"\x1b[" in terminal  # rich drew (cursor moves, colours)
    assert b"submit: state:" not in terminal  # not the plain lines
    frame = _last_frame(terminal)
    assert any(re.search(r"state: PENDING\b", line) for line in frame), frame
    assert re.search(r"state: SUCCEEDED\s+\d:\d\d:\d\d$", frame[-1]), frame


@pytest.mark.parametrize(
    ("tty", "extra"),
    [(False, {}), (True, {"CI": "true"}), (True, {"TERM": "dumb"})],
    ids=["pipe", "ci-on-a-terminal", "dumb-terminal"],
)
def test_submit_wait_plain_lines(
    tmp_path: Path, case_pipeline: Path, tty: bool, extra: dict[str, str]
) -> None:
    out, err, code = _submit_wait(tmp_path, case_pipeline, _env(tmp_path, **extra), tty=tty)
    assert code == 0, err.decode(errors="replace")[-2000:]
    assert STDOUT.fullmatch(out), out
    text = err.replace(b"\r\n", b"\n")  # a terminal's own output translation (onlcr)
    assert b"\x1b" not in text and b"\r" not in text
    states = [line for line in text.decode().splitlines() if line.startswith("submit: ")]
    assert states == [
        "submit: state: PENDING",
        "submit: state: RUNNING",
        "submit: state: SUCCEEDED",
    ]


def test_json_output_is_untouched_and_rich_never_loaded(tmp_path: Path) -> None:
    """`validate --format json` with a terminal on standard error: stdout is exactly the JSON,
    and neither `import kfp_templates` nor validate imported rich."""
    project = tmp_path / "project"
    shutil.copytree(CASES / "base", project)
    script = (
        "import sys, kfp_templates\n"
        "assert 'rich' not in sys.modules, 'import kfp_templates loaded rich'\n"
        "from kfp_templates._cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "assert 'rich' not in sys.modules, 'validate loaded rich'\n"
        "sys.exit(code)\n"
    )
    env = _env(tmp_path)
    master, slave = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-c", script, "validate", str(project), "--format", "json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=slave,
        timeout=120,
    )
    os.close(slave)
    os.close(master)
    assert done.returncode == 0
    assert done.stdout.endswith(b"\n") and b"\x1b" not in done.stdout
    assert isinstance(json.loads(done.stdout), dict | list)


@pytest.mark.slow
def test_run_local_reports_each_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A real kfp.local run: one start and one end line per step, in order (plain: not a tty)."""
    from kfp_templates._cli.main import main  # noqa: PLC0415 - after the path insert above

    project = tmp_path / "batch_prediction"
    shutil.copytree(
        REPO / "producer_templates" / "batch_prediction",
        project,
        ignore=shutil.ignore_patterns("local_outputs", "__pycache__", "build"),
    )
    assert main(["run", "--local", str(project)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("succeeded in ")
    lines = [line for line in err.splitlines() if line.startswith("run: ")]
    steps = re.findall(r"^run: (\S+): started$", "\n".join(lines), re.MULTILINE)
    assert steps, err
    expected = []
    for step in steps:
        expected += [f"run: {step}: started", f"run: {step}: succeeded in"]
    assert [re.sub(r" [0-9.]+s$", "", line) for line in lines] == expected
    assert "Executing task" not in err  # kfp.local's own lines are in the log, not repeated
