"""`exit_code_for`: the one mapping from findings to an exit code (docs/cli.md, decision 0057)."""

from __future__ import annotations

import pytest

from kfp_templates._errors import ExitCode
from kfp_templates._findings import Finding, Location, Severity, exit_code_for
from kfp_templates._rules import all_rules, cfg, con, prj, usr, ver
from kfp_templates._rules._model import Rule

_HERE = Location("x.yaml", 1, 1)


def _error(rule: Rule) -> Finding:
    return Finding(rule, "m", _HERE)


def _warning(rule: Rule) -> Finding:
    return Finding(rule, "m", _HERE, severity=Severity.WARNING)


@pytest.mark.parametrize(
    ("findings", "code"),
    [
        ([], ExitCode.OK),
        ([_warning(usr.FUNCTION_MISSING)], ExitCode.OK),
        ([_warning(con.CONTRACT_SCHEMA)], ExitCode.OK),  # warnings never count
        ([_error(usr.FUNCTION_MISSING)], ExitCode.FINDINGS),
        ([_error(cfg.CONFIG_MISSING)], ExitCode.FINDINGS),
        ([_error(prj.CONFLICT_MARKERS)], ExitCode.FINDINGS),
        # VER is the producer's, but a release or version problem, not a broken contract;
        # VER2xx in upgrade-check is the consumer's work
        ([_error(ver.VERSION_NOT_BUMPED)], ExitCode.FINDINGS),
        ([_error(ver.NEW_FUNCTION)], ExitCode.FINDINGS),
        ([_error(con.CONTRACT_SCHEMA)], ExitCode.BAD_INPUT),
        ([_error(usr.FUNCTION_MISSING), _error(con.CONTRACT_MISSING)], ExitCode.BAD_INPUT),
        ([_error(ver.NEW_FUNCTION), _error(con.CONTRACT_UNREADABLE)], ExitCode.BAD_INPUT),
        (iter([_error(con.CONTRACT_SCHEMA)]), ExitCode.BAD_INPUT),  # any iterable, read once
    ],
)
def test_exit_code_for(findings: list[Finding], code: ExitCode) -> None:
    assert exit_code_for(findings) is code


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_only_con_rules_break_the_contract(rule: Rule) -> None:
    broken = exit_code_for([_error(rule)]) is ExitCode.BAD_INPUT
    assert broken == rule.id.startswith("CON")
