"""Case trees: every directory under tests/cases/{valid,invalid} is one project to validate.

`expected.yaml` in an invalid case names the one finding it must produce:

    rule: USR102          # rule id
    path: user/train.py   # file relative to the project root
    line: 3               # 1-based line (omit when the finding has none)
    exit_code: 1          # exit code of `kfp-templates validate`
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kfp_templates import validate_project
from kfp_templates._cli.main import main

from helpers import CASES, materialise_case

VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


def _validate(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    """`validate --format json`, checked against the library API it calls (docs/library.md)."""
    code = main(["validate", str(project), "--format", "json"])
    findings = json.loads(capsys.readouterr().out or "[]")
    report = validate_project(project)
    assert (code, [f["rule"] for f in findings]) == (
        report.exit_code,
        [f.rule.id for f in report.findings],
    )
    return code, findings


def test_base_project_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = _validate(
        materialise_case(CASES / "valid" / "__none__", tmp_path / "p"), capsys
    )
    assert (code, [f for f in findings if f["severity"] == "error"]) == (0, [])


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = _validate(materialise_case(case, tmp_path / "p"), capsys)
    assert code == 0, findings
    assert [f for f in findings if f["severity"] == "error"] == []


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = yaml.safe_load((case / "expected.yaml").read_text())
    code, findings = _validate(materialise_case(case, tmp_path / "p"), capsys)
    matching = [f for f in findings if f["rule"] == expected["rule"]]
    assert matching, f"expected {expected['rule']}, got {[f['rule'] for f in findings]}"
    first = matching[0]
    assert first["path"] == expected["path"]
    assert first["line"] == expected.get("line")
    assert first["fix"], "every finding must say what to do"
    assert code == expected["exit_code"]


def test_enough_invalid_cases() -> None:
    assert len(INVALID) >= 40
