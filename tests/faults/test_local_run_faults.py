"""`run --local` when a step fails, hangs, or the user presses Ctrl-C (subprocess CLI runs).

Each case runs with both runners: the warm one (the default, steps forked from a zygote) must
report, time out, stop and clean up exactly as kfp.local's own SubprocessRunner does."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from fault_helpers import (
    cli_argv,
    interrupt_after,
    make_sandbox,
    no_traceback_of_ours,
    replace_predict,
    run_cli,
    stray_temporaries,
    wait_dead,
)

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("runner", ["warm", "subprocess"])]

PID_BODY = (
    "    import os, time\n    open({pidfile!r}, 'w').write(str(os.getpid()))\n    time.sleep(600)\n"
)


def test_a_failing_step_is_named_and_exits_1(tmp_path: Path, runner: str) -> None:
    sandbox = make_sandbox(tmp_path)
    replace_predict(sandbox, "    raise ValueError('corpus fault: no model today')\n")
    result = run_cli(sandbox, "run", "--local", "--runner", runner, str(sandbox.project))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "error: step 'predict' failed: ValueError: corpus fault: no model today" in result.stderr
    assert "kfp_templates" not in result.stderr.split("error: step", 1)[1]
    assert list(sandbox.tmp.iterdir()) == [] and list(sandbox.home.iterdir()) == []


def test_a_hanging_step_is_stopped_at_the_configured_timeout(tmp_path: Path, runner: str) -> None:
    sandbox = make_sandbox(tmp_path)
    config = sandbox.reference / "config.yaml"
    config.write_text(
        config.read_text().replace("step_timeout_seconds: 300", "step_timeout_seconds: 25")
    )
    pidfile = tmp_path / "predict.pid"
    replace_predict(sandbox, PID_BODY.format(pidfile=str(pidfile)))
    start = time.monotonic()
    result = run_cli(sandbox, "run", "--local", "--runner", runner, str(sandbox.project))
    elapsed = time.monotonic() - start
    assert result.returncode == 1, result.stderr[-2000:]
    assert "step 'predict' timed out: ran longer than step_timeout_seconds=25" in result.stderr
    assert "step_timeout_seconds" in result.stderr.split("hint:", 1)[1]
    assert elapsed < 120, elapsed
    assert wait_dead(int(pidfile.read_text())), "the hung user function outlived the run"
    assert no_traceback_of_ours(result.stderr)
    assert list(sandbox.tmp.iterdir()) == []


def test_ctrl_c_during_a_step_stops_everything_cleanly(tmp_path: Path, runner: str) -> None:
    sandbox = make_sandbox(tmp_path)
    pidfile = tmp_path / "predict.pid"
    replace_predict(sandbox, PID_BODY.format(pidfile=str(pidfile)))
    code, err, seconds, landed = interrupt_after(
        sandbox,
        ["run", "--local", "--runner", runner, str(sandbox.project)],
        ready=lambda: pidfile.exists() and pidfile.stat().st_size > 0,
    )
    assert landed and pidfile.exists(), f"the run ended before the step started:\n{err[-2000:]}"
    assert code == 130, err[-2000:]
    assert "interrupted" in err
    assert seconds < 30, seconds
    assert no_traceback_of_ours(err), err[-3000:]
    assert wait_dead(int(pidfile.read_text())), "the user function outlived Ctrl-C"
    assert stray_temporaries(sandbox.project) == []
    assert list(sandbox.tmp.iterdir()) == [], "temporary files left in TMPDIR"
    assert list(sandbox.home.iterdir()) == []


def test_killing_the_tool_ends_the_run_and_its_steps(tmp_path: Path, runner: str) -> None:
    """SIGKILL (no handler can run) of the CLI: the child and the step it runs die with it."""
    sandbox = make_sandbox(tmp_path)
    pidfile = tmp_path / "predict.pid"
    replace_predict(sandbox, PID_BODY.format(pidfile=str(pidfile)))
    process = subprocess.Popen(
        cli_argv("run", "--local", "--runner", runner, str(sandbox.project)),
        cwd=sandbox.root,
        env=sandbox.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    while not (pidfile.exists() and pidfile.stat().st_size > 0) and time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before the step started"
        time.sleep(0.05)
    assert pidfile.exists(), "the step never started"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert wait_dead(int(pidfile.read_text()), seconds=30), "the step outlived the killed tool"
