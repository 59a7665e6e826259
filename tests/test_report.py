"""Reporters: the same findings as text, JSON and GitHub workflow commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfp_templates._findings import Finding, Location, Severity, sort_findings
from kfp_templates._report import render
from kfp_templates._rules import all_rules
from kfp_templates._rules.con import CONTRACT_SCHEMA
from kfp_templates._rules.prj import CONFLICT_MARKERS

CONSUMER = Finding(CONFLICT_MARKERS, "markers, left", Location("user/a.py", 3, 1), "resolve it")
PRODUCER = Finding(CONTRACT_SCHEMA, "bad: field", Location("contract.yaml", 2), "fix it")
WARNING = Finding(CONFLICT_MARKERS, "maybe", Location("b.py"), severity=Severity.WARNING)


def test_text_report() -> None:
    text = render([CONSUMER, WARNING], "text", checked="proj")
    assert "user/a.py:3:1: PRJ100 error: markers, left\n  fix: resolve it" in text
    assert "b.py: PRJ100 warning: maybe" in text
    assert text.endswith("proj: 1 error(s), 1 warning(s)")


def test_text_report_blames_the_producer() -> None:
    assert "tell its producer" in render([PRODUCER], "text", checked="p")


def test_text_report_clean() -> None:
    assert render([], "text", checked="proj") == "proj: all checks passed"


@pytest.mark.parametrize("checked", [".", "./"])
def test_the_current_directory_is_named_not_dotted(
    checked: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "myproj").mkdir()
    monkeypatch.chdir(tmp_path / "myproj")
    assert render([], "text", checked=checked) == "myproj: all checks passed"


def test_json_report() -> None:
    (row,) = json.loads(render([CONSUMER], "json", checked="p"))
    assert row["rule"] == "PRJ100"
    assert (row["path"], row["line"], row["column"]) == ("user/a.py", 3, 1)
    assert row["family"] == "consumer"
    assert row["fix"] == "resolve it"


def test_github_report_escapes() -> None:
    line = render([CONSUMER], "github", checked="p")
    assert line.startswith("::error file=user/a.py,line=3,col=1,title=PRJ100 ")
    assert line.endswith("::markers, left. Fix: resolve it")
    producer = render([PRODUCER], "github", checked="p")
    assert "title=CON102 contract does not match the contract meta-schema" in producer


def test_findings_sort_by_place() -> None:
    assert sort_findings([PRODUCER, WARNING, CONSUMER]) == [WARNING, PRODUCER, CONSUMER]


def test_rule_ids_are_unique_and_explained() -> None:
    rules = all_rules()
    assert len({rule.id for rule in rules}) == len(rules)
    assert all(rule.explanation and rule.title for rule in rules)


def test_producers_are_not_told_to_tell_themselves() -> None:
    text = render([PRODUCER], "text", checked="p", for_producer=True)
    assert "tell its producer" not in text
    assert text.endswith("p: 1 error(s), 0 warning(s)")
