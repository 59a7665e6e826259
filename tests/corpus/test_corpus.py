"""Every corpus case gets a clear finding or message, its documented exit code, no traceback, and
writes nothing: not outside the project, not inside it (validate is static), not in HOME or TMPDIR.

Cases run in-process through `kfp_templates._cli.main.main` (fast) unless they say
`subprocess: true` (side effects that must never run, inputs that could hang or crash a process).
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from corpus_helpers import (
    Case,
    Outcome,
    Sandbox,
    argv_for,
    build_project,
    default_path,
    load_cases,
    load_cases_raw,
    run_subprocess,
    tree_snapshot,
)

from kfp_templates._cli.main import main
from kfp_templates._rules import all_rules

CATEGORIES = ("user_code", "config", "contracts", "cli_args")
CASES = [case for category in CATEGORIES for case in load_cases(category)]
KNOWN_RULES = {rule.id for rule in all_rules()}
SANDBOX_ENTRIES = {"p", "home", "tmp", "marker"}


def _marks(case: Case) -> list[pytest.MarkDecorator]:
    marks = [pytest.mark.slow] if case.slow else []
    if case.xfail:
        marks.append(pytest.mark.xfail(reason=case.xfail, strict=True))
    return marks


def _params(cases: list[Case]) -> list[object]:
    return [pytest.param(case, id=f"{case.category}/{case.id}", marks=_marks(case))
            for case in cases]


def _run_in_process(argv: list[str], sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch,
                    ) -> Outcome:
    """main(argv) with HOME and TMPDIR pointing into the sandbox; argparse exits caught."""
    monkeypatch.setenv("HOME", str(sandbox.home))
    monkeypatch.setenv("TMPDIR", str(sandbox.tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(sandbox.tmp))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    return Outcome(code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


def _check_finding(case: Case, outcome: Outcome, project: Path) -> None:
    rule = case.expect["rule"]
    assert rule in KNOWN_RULES, f"{rule} is not a rule of kfp-templates"
    findings = outcome.findings()
    matching = [f for f in findings if f["rule"] == rule]
    got = Counter(f["rule"] for f in findings)
    assert matching, f"expected {rule}, got {dict(got)}\n{outcome.err[-2000:]}"
    first = matching[0]
    expected_path = default_path(case)
    if expected_path is not None:  # absolute when the path leaves the project (a symlink)
        assert first["path"] in (expected_path, str(project / expected_path)), first
    for key in ("line", "column"):
        if key in case.expect:
            assert first[key] == case.expect[key], first
    assert first["message"] and first["fix"], f"a finding must say what and what to do: {first}"


def _check_output(case: Case, outcome: Outcome) -> None:
    text = outcome.out + outcome.err
    assert outcome.code == case.expect["exit_code"], (outcome.code, text[:1500], text[-1500:])
    assert outcome.code != 3 and "Traceback" not in text, text[-3000:]
    if "stderr_contains" in case.expect:
        assert case.expect["stderr_contains"] in outcome.err, outcome.err[-3000:]
    if "max_seconds" in case.expect:
        assert outcome.seconds <= case.expect["max_seconds"], outcome.seconds


def _check_nothing_written(sandbox: Sandbox, before: dict[str, tuple[int, int]]) -> None:
    assert not sandbox.marker.exists(), "user code ran during a static command"
    assert {p.name for p in sandbox.root.iterdir()} == SANDBOX_ENTRIES
    assert list(sandbox.home.iterdir()) == [], "HOME written"
    assert list(sandbox.tmp.iterdir()) == [], "TMPDIR left with files"
    assert tree_snapshot(sandbox.project) == before, "the project changed"


@pytest.mark.parametrize("case", _params(CASES))
def test_corpus_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox = Sandbox(tmp_path)
    build_project(case, sandbox)
    before = tree_snapshot(sandbox.project)
    argv = argv_for(case, sandbox)
    outcome = (run_subprocess(argv, sandbox) if case.subprocess
               else _run_in_process(argv, sandbox, monkeypatch))
    _check_output(case, outcome)
    if "rule" in case.expect:
        _check_finding(case, outcome, sandbox.project)
    _check_nothing_written(sandbox, before)


def test_case_ids_are_unique() -> None:
    ids = [f"{case.category}/{case.id}" for case in CASES]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_corpus_has_at_least_150_cases() -> None:
    copier_cases = load_cases_raw("copier_answers")
    sizes = Counter(case.category for case in CASES)
    assert sum(sizes.values()) + len(copier_cases) >= 150, sizes
