"""`kfp-templates graph`: sources, formats, where it may write, and its errors' exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kfp_templates._cli.main import main

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "producer_templates" / "tabular_training"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("compiled") / "tabular_training.yaml"
    assert main(["compile", str(TEMPLATE), "--output", str(output)]) == 0
    return output


def test_compiled_yaml_and_template_directory_draw_the_same(
    compiled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["graph", str(compiled)]) == 0
    from_yaml = capsys.readouterr().out
    assert main(["graph", str(TEMPLATE)]) == 0
    assert capsys.readouterr().out == from_yaml
    assert from_yaml.startswith("flowchart TD\n")


@pytest.mark.parametrize("fmt, start", [("mermaid", "flowchart TD"), ("dot", "digraph pipeline {")])
def test_output_file_is_written_inside_the_project(
    compiled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, start: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["graph", str(compiled), "--format", fmt, "-o", "docs/pipeline.txt"]) == 0
    assert (tmp_path / "docs" / "pipeline.txt").read_text(encoding="utf-8").startswith(start)


def test_output_outside_the_project_is_refused(
    compiled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    assert main(["graph", str(compiled), "-o", str(tmp_path / "elsewhere.mmd")]) == 2
    assert not (tmp_path / "elsewhere.mmd").exists()
    assert "outside" in capsys.readouterr().err


def test_svg_without_graphviz_says_what_to_install(
    compiled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` on this PATH
    assert main(["graph", str(compiled), "--format", "svg"]) == 2
    err = capsys.readouterr().err
    assert "needs Graphviz's `dot`" in err
    assert "apt-get install graphviz" in err and "--format mermaid" in err


@pytest.mark.parametrize(
    "text, message",
    [
        ("root: [\n", "pipeline.yaml:2:1: error: not a YAML document KFP wrote"),
        ("a: 1\n", "this is not a compiled KFP pipeline"),
        ("root:\n  dag:\n    tasks: {}\n", "this is not a compiled KFP pipeline"),
    ],
)
def test_a_file_that_is_no_pipeline_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    document = tmp_path / "pipeline.yaml"
    document.write_text(text, encoding="utf-8")
    assert main(["graph", str(document)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_project_that_does_not_validate_draws_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = shutil.copytree(TEMPLATE, tmp_path / "tabular_training")
    (template / "reference" / "user" / "train.py").unlink()
    assert main(["graph", str(template)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "user/train.py" in captured.err and "nothing drawn" in captured.err


def test_drawing_a_yaml_file_needs_no_kfp(compiled: Path) -> None:
    code = (
        "import sys\n"
        "from kfp_templates._cli.main import main\n"
        f"code = main(['graph', {str(compiled)!r}, '--format', 'dot'])\n"
        "sys.exit(10 + code if 'kfp' in sys.modules else code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("digraph pipeline {")
