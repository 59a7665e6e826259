"""fastcheck never changes a finding: every config, contract and user-code corpus input gives the
same findings with the fast checks as with jsonschema deciding everything.

The fast checks only decide "certainly valid"; switching them off (every answer "not sure") makes
jsonschema and referencing judge every input, which is how validate worked before decision 16.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from corpus_helpers import content, load_cases

from kfp_templates._layout import find_layout
from kfp_templates.contract import _config_schema, _loading
from kfp_templates.validators import config, user_code
from kfp_templates.validators.whole_project import validate_project

from helpers import CASES

_FAST_CHECKS = (
    (_loading, "is_valid"),
    (_config_schema, "config_schema_is_valid"),
    (_config_schema, "refs_certainly_resolve"),
    (config, "is_valid"),
    (user_code, "is_valid"),
)


def _plain(spec: Any) -> bool:
    """Whether a `files:` entry is text we can write directly (no links, fifos, huge files)."""
    return (isinstance(spec, str) and spec != "<delete>") or (
        isinstance(spec, dict) and set(spec) <= {"replace", "append", "base64"}
    )


CASES_BY_ID = [
    case
    for category in ("config", "contracts", "user_code")
    for case in load_cases(category)
    if case.files and all(_plain(spec) for spec in case.files.values())
]


def _findings(project: Path) -> list[Any]:
    return [
        (f.rule.id, f.message, f.location, f.severity)
        for f in validate_project(find_layout(project)).findings
    ]


@pytest.mark.parametrize("case", CASES_BY_ID, ids=[f"{c.category}-{c.id}" for c in CASES_BY_ID])
def test_same_findings_without_the_fast_checks(
    case: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(CASES / "base", project)
    for relative, spec in case.files.items():
        data = content(spec, relative, tmp_path / "marker")
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    fast = _findings(project)
    for module, name in _FAST_CHECKS:
        monkeypatch.setattr(module, name, lambda *args, **kwargs: False)
    assert _findings(project) == fast
