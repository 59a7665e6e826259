"""What the fuzzers call: each target takes raw input and fails only on a real bug.

A target writes the input into a project made once (`FuzzProject`), runs the static validator on
it, and checks that every outcome is a finding with a known rule id and a documented exit code.
Any exception escaping `validate_project` or the YAML loader is a bug. Used by the hypothesis
tests and by the atheris scripts (`atheris_extract.py`, `atheris_config.py`).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kfp_templates import validate_project
from kfp_templates._rules import all_rules
from kfp_templates._yamlio import YamlLoadError, load_yaml

BASE = Path(__file__).resolve().parents[1] / "cases" / "base"
KNOWN_RULES = frozenset(rule.id for rule in all_rules())


@dataclass(frozen=True)
class FuzzProject:
    """A copy of tests/cases/base whose user module or config each input replaces."""

    root: Path

    @classmethod
    def create(cls, parent: Path | None = None) -> FuzzProject:
        root = Path(tempfile.mkdtemp(prefix="kfp-fuzz-", dir=parent)) / "p"
        shutil.copytree(BASE, root)
        return cls(root)

    def check(self, relative: str, data: bytes) -> None:
        """Write `data` to `relative`, validate, and check every finding is well formed."""
        (self.root / relative).write_bytes(data)
        result = validate_project(self.root)
        assert int(result.exit_code) in (0, 1), result.findings
        for finding in result.findings:
            assert finding.rule.id in KNOWN_RULES, finding
            assert finding.message and finding.fix, finding


def check_user_module(project: FuzzProject, data: bytes) -> None:
    """Fuzzed bytes as user/preprocess.py."""
    project.check("user/preprocess.py", data)


def check_config(project: FuzzProject, data: bytes) -> None:
    """Fuzzed bytes as config.yaml."""
    project.check("config.yaml", data)


def check_yaml_loader(text: str) -> None:
    """The loader either refuses with YamlLoadError or returns data whose marks can be read."""
    try:
        loaded = load_yaml(text)
    except YamlLoadError as error:
        assert str(error), "a refusal must say why"
        return
    assert isinstance(loaded.value_marks, dict) and isinstance(loaded.key_marks, dict)
