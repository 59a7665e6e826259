"""Two `run --local` in one project and two `build --push` of another, all four at once.

Each local run must report its own run directory (named before it starts) and keep its own log;
the last-run pointer must name a whole run. Both builds must end with the same pushed digest,
recorded whole, with no staging file left. Real processes, real kfp.local, real buildah and a
loopback registry (the rig in conftest.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest
from _infra import BASE_IMAGE, REPO, Rig

from kfp_templates._images import pushed_image, read_record
from kfp_templates._images._exclusive import one_build_at_a_time
from kfp_templates._images._lock import LOCK_NAME, parse_lock
from kfp_templates._layout import find_layout

pytestmark = pytest.mark.slow
OUTPUTS = re.compile(r"^succeeded in [0-9.]+s; outputs in (.+)$", re.MULTILINE)


def _start(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kfp_templates", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    out, err = process.communicate(timeout=900)
    assert process.returncode == 0, err[-3000:]
    return out, err


def test_two_local_runs_and_two_builds_at_once(
    rig: Rig, project_factory: Callable[[Path], Path], tmp_path: Path
) -> None:
    runnable = tmp_path / "batch_prediction"
    shutil.copytree(REPO / "producer_templates" / "batch_prediction", runnable,
                    ignore=shutil.ignore_patterns("local_outputs", "__pycache__", "build"))
    buildable = project_factory(tmp_path / "image-project")
    build = ["build", str(buildable), "--push", "--registry", f"{rig.registry}/together",
             "--base-image", BASE_IMAGE, "--no-tls-verify", "--tool-wheel", str(rig.tool_wheel)]

    processes = [_start("run", "--local", str(runnable)), _start(*build),
                 _start("run", "--local", str(runnable)), _start(*build)]
    (run_a, _), (build_a, _), (run_b, _), (build_b, _) = [_finish(p) for p in processes]

    _check_runs(runnable / "reference" / "local_outputs", run_a, run_b)
    _check_builds(buildable, build_a, build_b)


def _check_runs(outputs: Path, *stdouts: str) -> None:
    """Each run names its own outputs, inside its own run directory, beside its own log."""
    reported = [Path(OUTPUTS.search(out)[1]) for out in stdouts]  # type: ignore[index]
    run_dirs = [path.parent for path in reported]
    assert len(set(run_dirs)) == 2 and {d.parent for d in run_dirs} == {outputs}, reported
    for output, run_dir in zip(reported, run_dirs, strict=True):
        assert (output / "predict" / "predictions").is_file()
        log = (run_dir / "run.log").read_text(encoding="utf-8")
        starts = re.findall(r"Executing task '([^']+)'", log)
        assert len(starts) == len(set(starts)) > 0, starts  # one run's tasks, each once
        mentioned = set(re.findall(rf"{re.escape(str(outputs))}/([^/\s'\"]+)", log))
        assert mentioned == {run_dir.name}, mentioned  # no line of the other run
    pointer = (outputs / "last-run.txt").read_text(encoding="utf-8")
    assert pointer.strip() in {d.name for d in run_dirs} and pointer.endswith("\n")
    assert not list(outputs.glob(".last-run.txt.*"))  # no temporary left from the replace


def _check_builds(project: Path, *stdouts: str) -> None:
    """Both builds report the one pushed digest, and the record and lock are whole."""
    pinned = {out.strip() for out in stdouts}
    assert len(pinned) == 1, pinned
    [image] = pinned
    assert "@sha256:" in image
    assert pushed_image(find_layout(project)).image == image
    record = read_record(project / ".kfp-build")
    assert record is not None and record.pinned == image
    assert parse_lock((project / LOCK_NAME).read_text()) is not None
    assert [p.name for p in (project / ".kfp-build").rglob("*.tmp")] == []


def test_a_second_build_waits_for_the_first(
    rig: Rig, project_factory: Callable[[Path], Path], tmp_path: Path
) -> None:
    """While one build holds the project's build lock, another writes nothing to .kfp-build/
    (it would replace the context the first is building from) and says it is waiting."""
    project = project_factory(tmp_path / "image-project")
    build_dir = project / ".kfp-build"
    waiting = None
    try:
        with one_build_at_a_time(project, lambda _message: None):
            waiting = _start("build", str(project), "--registry", f"{rig.registry}/waits",
                             "--base-image", BASE_IMAGE, "--tool-wheel", str(rig.tool_wheel))
            assert waiting.stderr is not None
            said = _lines_until(waiting.stderr, "another build of this project is running")
            assert "waiting for it to finish" in said[-1], said
            assert waiting.poll() is None
            assert not build_dir.exists()
        _out, err = waiting.communicate(timeout=900)
    finally:
        if waiting is not None and waiting.poll() is None:
            waiting.kill()  # a failed assertion above must not leave the build running
            waiting.wait()
    assert waiting.returncode == 0, err[-3000:]
    assert (build_dir / "context").is_dir() and read_record(build_dir) is not None


def _lines_until(stream: IO[str], text: str) -> list[str]:
    """Lines read from `stream` up to the first containing `text` (or its end)."""
    lines: list[str] = []
    for line in stream:
        lines.append(line)
        if text in line:
            break
    return lines
