"""`kfp-templates validate` end to end: formats, exit codes, bad paths, --contract, imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kfp_templates._cli.main import main

from helpers import CASES, build_file_tree, materialise_case

CONFIG_TYPO = "paramters:\n  target_column: label\n"


def _project(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> Path:
    root = materialise_case(CASES / "valid" / "__none__", tmp_path / "p")
    return build_file_tree(root, files or {})


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse usage errors
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_valid_project_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["validate", str(_project(tmp_path))], capsys)
    assert code == 0
    assert "all checks passed" in out


def test_findings_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, {"config.yaml": CONFIG_TYPO})
    code, out, _ = _run(["validate", str(project)], capsys)
    assert code == 1
    assert "config.yaml:1:1: CFG113 error: unknown key `paramters`" in out
    assert "did you mean `parameters`?" in out
    assert "  fix: rename `paramters` to `parameters`" in out
    assert "1 error(s)" in out


def test_findings_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, {"config.yaml": CONFIG_TYPO})
    code, out, _ = _run(["validate", str(project), "--format", "json"], capsys)
    assert code == 1
    [finding] = json.loads(out)
    assert finding["rule"] == "CFG113"
    assert (finding["path"], finding["line"], finding["column"]) == ("config.yaml", 1, 1)
    assert finding["json_path"] == "/paramters"
    assert finding["family"] == "consumer"
    assert finding["severity"] == "error"
    assert finding["fix"]


def test_valid_project_json_is_an_empty_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["validate", str(_project(tmp_path)), "--format", "json"], capsys)
    assert (code, json.loads(out)) == (0, [])


def test_findings_github(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, {"config.yaml": "steps:\n  train:\n    memory: 4\n"})
    code, out, _ = _run(["validate", str(project), "--format", "github"], capsys)
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith("::error file=config.yaml,line=3,col=13,title=CFG115 ")
    assert "::`steps.train.memory` must be text" in line
    assert "Fix: put the value in quotes" in line


def test_warnings_do_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, {"config.yaml": ""})
    code, out, _ = _run(["validate", str(project), "--format", "github"], capsys)
    assert code == 0
    assert out.startswith("::warning file=config.yaml,title=CFG112 ")


def test_broken_contract_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, {"template_pipeline/contract.yaml": "name: [x\n"})
    code, out, _ = _run(["validate", str(project)], capsys)
    assert code == 2
    assert "CON101" in out
    assert "the template itself is broken" in out


@pytest.mark.parametrize(
    ("files", "target", "words"),
    [
        pytest.param({}, "nowhere", "does not exist", id="missing"),
        pytest.param({"f.txt": "x"}, "f.txt", "not a directory", id="file"),
        pytest.param({"d/a.txt": "x"}, "d", "not a kfp-templates project", id="plain-dir"),
    ],
)
def test_not_a_project_exits_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes],
    target: str,
    words: str,
) -> None:
    build_file_tree(tmp_path, files)
    code, out, err = _run(["validate", str(tmp_path / target)], capsys)
    assert code == 2
    assert out == ""
    assert words in err
    assert "hint:" in err


def test_bad_format_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["validate", str(_project(tmp_path)), "--format", "xml"], capsys)
    assert code == 2
    assert "invalid choice" in err


def test_contract_option_overrides_the_project_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    contract = (project / "template_pipeline" / "contract.yaml").read_text()
    strict = contract.replace("n_rows: {type: integer, minimum: 1, default: 100}", "n_rows: {}")
    strict = strict.replace("target_column: {type: string,", "target_column: {type: integer,")
    other = build_file_tree(tmp_path / "other", {"contract.yaml": strict}) / "contract.yaml"
    code, out, _ = _run(["validate", str(project), "--contract", str(other)], capsys)
    assert code == 1
    assert "`parameters.target_column` must be an integer" in out


def test_missing_contract_option_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.yaml"
    code, out, _ = _run(["validate", str(_project(tmp_path)), "--contract", str(missing)], capsys)
    assert code == 2
    assert "CON100" in out


def test_validate_imports_neither_kfp_nor_aiplatform(tmp_path: Path) -> None:
    project = _project(tmp_path, {"config.yaml": CONFIG_TYPO})
    code = (
        "import sys\n"
        "from kfp_templates._cli.main import main\n"
        f"code = main(['validate', {str(project)!r}, '--format', 'json'])\n"
        "heavy = sorted(m for m in sys.modules if m == 'kfp' or m.startswith(('kfp.', "
        "'google.cloud.aiplatform')))\n"
        "print(code, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "1 []", done.stderr


def test_python_dash_m_validate_importtime(tmp_path: Path) -> None:
    project = _project(tmp_path)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kfp_templates", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "kfp" not in imported
    assert not any(name.startswith("google.cloud.aiplatform") for name in imported)
    assert "kfp_templates.validators.config" in imported
