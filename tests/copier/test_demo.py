"""The README's quick start (`python -m kfp_templates._demo`): end to end, and its refusals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from e2e_helpers import REPO, run


def demo(*args: str) -> tuple[int, str, str]:
    result = run([sys.executable, "-m", "kfp_templates._demo", *args], REPO, check=False)
    return result.returncode, result.stdout, result.stderr


def test_refuses_to_overwrite_a_directory_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    code, _out, err = demo("--dest", str(tmp_path))
    assert code == 2
    assert "is not a demo project" in err and "Traceback" not in err
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_unknown_template_names_the_choices(tmp_path: Path) -> None:
    code, _out, err = demo("--dest", str(tmp_path / "d"), "--template", "nope")
    assert code == 2
    assert "tabular_training" in err


@pytest.mark.slow
def test_demo_scaffolds_validates_and_runs(tmp_path: Path) -> None:
    dest = tmp_path / "demo"
    code, out, err = demo("--dest", str(dest))
    assert code == 0, out + err
    assert "4/4" in out and "local_outputs" in out
    assert (dest / "template_pipeline" / "contract.yaml").is_file()
    assert any((dest / "local_outputs").iterdir())
    code, out, err = demo("--dest", str(dest))  # a second run replaces its own demo project
    assert code == 0, out + err
