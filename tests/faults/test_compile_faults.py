"""`compile` interrupted or out of space: the previous output stays whole, nothing half-written."""

from __future__ import annotations

import resource
import signal
import time
from pathlib import Path

import pytest
import yaml
from fault_helpers import (
    interrupt_after,
    make_sandbox,
    no_traceback_of_ours,
    run_cli,
    stray_temporaries,
)

PREVIOUS = "# the previous compiled pipeline\n"


def _output_is_whole(output: Path) -> bool:
    """Either the untouched previous file or a complete compiled pipeline."""
    text = output.read_text(encoding="utf-8")
    if text == PREVIOUS:
        return True
    documents = [doc for doc in yaml.safe_load_all(text) if doc]
    return bool(documents) and "pipelineInfo" in documents[0] and "root" in documents[0]


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.05, 0.3, 0.6, 0.9, 1.2, 1.6])
def test_ctrl_c_during_compile_leaves_the_previous_output_or_a_whole_one(
    tmp_path: Path, delay: float
) -> None:
    sandbox = make_sandbox(tmp_path)
    output = tmp_path / "out" / "pipeline.yaml"
    output.parent.mkdir()
    output.write_text(PREVIOUS, encoding="utf-8")
    started = time.monotonic()
    code, err, _, landed = interrupt_after(
        sandbox, ["compile", str(sandbox.project), "--output", str(output)],
        ready=lambda: time.monotonic() - started >= delay,
    )
    assert landed, f"compile ended within {delay}s, before the signal: nothing was interrupted"
    if code == -signal.SIGINT or (code == 1 and "Fatal Python error: init_import_site" in err):
        # Ctrl-C while Python starts and imports the tool (its own traceback of the import
        # machinery; exit 1 when it lands while `site` is imported) or while it shuts down after
        # main() returned (default handler back, so the signal kills it silently, after any
        # notes main() printed): no traceback of ours.
        assert "Traceback" not in err or "KeyboardInterrupt" in err, err[-3000:]
        assert "kfp_templates/_kfp" not in err, err[-3000:]
    else:
        assert code == 130 and "interrupted" in err, err[-2000:]
        assert no_traceback_of_ours(err), err[-3000:]
    assert _output_is_whole(output)
    assert stray_temporaries(output.parent) == []
    assert list(sandbox.tmp.iterdir()) == []


def _file_size_limit(limit: int) -> None:
    """In the child: writes past `limit` bytes fail with EFBIG (SIGXFSZ ignored, not fatal)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("limit", [0, 100, 4096])
def test_disk_full_while_writing_keeps_the_previous_output(tmp_path: Path, limit: int) -> None:
    sandbox = make_sandbox(tmp_path)
    output = tmp_path / "out" / "pipeline.yaml"
    output.parent.mkdir()
    output.write_text(PREVIOUS, encoding="utf-8")
    result = run_cli(sandbox, "compile", str(sandbox.project), "--output", str(output),
                     preexec_fn=lambda: _file_size_limit(limit))
    assert result.returncode in (1, 2), result.stderr[-2000:]
    assert f"could not write {output}" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert output.read_text(encoding="utf-8") == PREVIOUS
    assert stray_temporaries(output.parent) == []


def test_output_in_a_directory_that_cannot_exist(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    result = run_cli(sandbox, "compile", str(sandbox.project), "--output",
                     str(blocker / "pipeline.yaml"))
    assert result.returncode == 1, result.stderr[-2000:]
    assert f"could not write {blocker / 'pipeline.yaml'}" in result.stderr
    assert "Traceback" not in result.stderr
    assert blocker.read_text() == "not a directory\n"


def test_compiled_output_is_readable_like_any_new_file(tmp_path: Path) -> None:
    """The atomic write (mkstemp, 0600) must not leave the pipeline readable only by its owner."""
    sandbox = make_sandbox(tmp_path)
    output = tmp_path / "pipeline.yaml"
    result = run_cli(sandbox, "compile", str(sandbox.project), "--output", str(output))
    assert result.returncode == 0, result.stderr[-2000:]
    assert output.stat().st_mode & 0o044 == 0o044
