"""A short coverage-guided run of each atheris target, so the scripts keep working.

The runs are small (a few hundred inputs each, seconds on two cores); real campaigns run the
script directly with a larger `-runs`. Skipped, with the reason, where atheris does not install.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent / "atheris_fuzz.py"


@pytest.mark.parametrize("target", ["extract", "config", "yaml"])
def test_atheris_target_runs_without_crashes(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris has no wheel for this Python or platform")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), target, "-runs=300", "-max_len=2048", "-seed=1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done 300 runs" in result.stderr, result.stderr[-2000:]
    assert not list(tmp_path.glob("crash-*"))
