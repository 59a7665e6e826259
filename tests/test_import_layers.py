"""The import layers of docs/architecture.md hold (import-linter, `[tool.importlinter]`).

The same check runs in `nox -s lint`; here it also runs on a copy of the package with one
import planted against each contract, to show that each contract catches what it is for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_package_keeps_its_layers() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("module", "planted", "broken"),
    [
        ("_findings.py", "from kfp_templates._cli import main", "package layers"),
        ("_yamlio.py", "from kfp_templates import validators", "package layers"),
        ("submission/labels.py", "from kfp_templates import _images", "package layers"),
        ("_cli/_handle.py", "from kfp_templates._cli import main", "the CLI"),
        (
            "_cli/commands/run.py",
            "from kfp_templates._cli.commands import build",
            "each subcommand",
        ),
        ("validators/links.py", "import kfp", "validate never imports kfp"),
        ("validators/links.py", "from google.cloud import aiplatform", "validate never imports"),
        ("validators/links.py", "from kfp_templates._kfp import loader", "validate never imports"),
    ],
)
def test_a_planted_import_breaks_its_contract(
    tmp_path: Path, module: str, planted: str, broken: str
) -> None:
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "kfp_templates" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    done = _lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert broken in done.stdout
    assert "BROKEN" in done.stdout
