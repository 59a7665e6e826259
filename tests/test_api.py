"""The library API (`kfp_templates.validate_project`, docs/library.md): what it returns, what it
raises, and that `import kfp_templates` stays light until it is used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kfp_templates
from kfp_templates import ExitCode, Report, UsageError, validate_project

from helpers import CASES, materialise_case

DOCUMENTED = Path(__file__).resolve().parents[1] / "docs" / "library.md"


@pytest.mark.parametrize(
    ("case", "code", "rule"),
    [
        ("valid/__none__", ExitCode.OK, None),
        ("invalid/usr_annotation_dict_value_type", ExitCode.FINDINGS, "USR"),
        ("invalid/cfg_missing_required", ExitCode.FINDINGS, "CFG"),
        ("invalid/con_bad_annotation", ExitCode.BAD_INPUT, "CON"),
    ],
)
def test_findings_and_exit_code(tmp_path: Path, case: str, code: ExitCode, rule: str) -> None:
    project = materialise_case(CASES / case, tmp_path / "p")
    report = validate_project(project)
    assert isinstance(report, Report)
    assert report.exit_code is code
    assert report.ok is (code is ExitCode.OK)
    errors = [f.rule.id for f in report.findings if f.is_error]
    assert (errors == []) if rule is None else errors and errors[0].startswith(rule)


def test_path_may_be_a_string_and_the_contract_another_file(tmp_path: Path) -> None:
    project = materialise_case(CASES / "valid" / "__none__", tmp_path / "p")
    contract = project / "template_pipeline" / "contract.yaml"
    moved = tmp_path / "elsewhere.yaml"
    moved.write_text(contract.read_text(encoding="utf-8"), encoding="utf-8")
    assert validate_project(str(project), contract=str(moved)).ok


@pytest.mark.parametrize("name", ["missing", "file.txt", "empty"])
def test_not_a_project_raises_usage_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError) as raised:
        validate_project(tmp_path / name)
    assert raised.value.hint


def test_import_stays_light_until_validate_project_is_used() -> None:
    code = (
        "import sys, kfp_templates\n"
        "names = ('jsonschema', 'kfp_templates.validators', 'kfp', 'google.cloud.aiplatform')\n"
        "before = [m for m in names if m in sys.modules]\n"
        "kfp_templates.validate_project\n"
        "print(before, [m for m in names if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[] ['jsonschema', 'kfp_templates.validators']", done.stderr


def test_every_public_name_is_documented() -> None:
    page = DOCUMENTED.read_text(encoding="utf-8")
    missing = [name for name in kfp_templates.__all__ if f"`{name}" not in page]
    assert not missing, f"add to docs/library.md: {missing}"
    for name in kfp_templates.__all__:
        assert getattr(kfp_templates, name) is not None
