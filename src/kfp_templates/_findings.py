"""Findings: what validators yield and reporters print.

A finding keeps its rule, message, fix and location apart, so text, JSON and GitHub annotation
reporters can each lay them out their own way (check-jsonschema's CheckResult does the same).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from enum import Enum

from kfp_templates._errors import ExitCode
from kfp_templates._records import field, record
from kfp_templates._rules import con as contract_rules
from kfp_templates._rules._model import Family, Rule


class Severity(str, Enum):
    """How much a finding matters: errors fail `validate`, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@record(order=True)
class Location:
    """Where a finding points: a file relative to the project root, and optionally more."""

    path: str
    line: int | None = None
    column: int | None = None
    json_path: str = ""

    def render(self) -> str:
        """`path:line:column`, leaving out what is unknown."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@record
class Finding:
    """One problem found, with what to do about it."""

    rule: Rule
    message: str
    location: Location
    fix: str = ""
    severity: Severity = field(default=Severity.ERROR)

    @property
    def is_error(self) -> bool:
        """Whether this finding makes `validate` fail."""
        return self.severity is Severity.ERROR

    @property
    def is_producer_problem(self) -> bool:
        """Whether the template's producer, not the consumer, has to fix this."""
        return self.rule.family is Family.PRODUCER

    @property
    def breaks_contract(self) -> bool:
        """Whether this is a `CON` finding: the contract itself is broken, not what it checks."""
        return self.rule in _contract_rules()


@functools.cache
def _contract_rules() -> frozenset[Rule]:
    """The `CON` family: every rule `_rules/contract.py` defines."""
    return frozenset(value for value in vars(contract_rules).values() if isinstance(value, Rule))


def exit_code_for(findings: Iterable[Finding]) -> ExitCode:
    """The one mapping from findings to a command's exit code (documented in docs/cli.md).

    2 when an error says the contract is broken (a `CON` rule: only the producer can fix it, and
    nothing checked against it can be trusted), 1 for any other error (the consumer's code or
    config, a template, a version or release check), 0 otherwise: warnings never count.
    """
    errors = [finding for finding in findings if finding.is_error]
    if any(finding.breaks_contract for finding in errors):
        return ExitCode.BAD_INPUT
    return ExitCode.FINDINGS if errors else ExitCode.OK


@record
class Report:
    """What a check found: its findings and the exit code they make."""

    findings: tuple[Finding, ...]

    @property
    def exit_code(self) -> ExitCode:
        """0 ok, 1 errors, 2 a broken contract; see `exit_code_for`."""
        return exit_code_for(self.findings)

    @property
    def ok(self) -> bool:
        """Whether nothing failed (warnings may remain)."""
        return self.exit_code is ExitCode.OK


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order: by file, line, column, then rule id."""
    return sorted(
        findings,
        key=lambda f: (
            f.location.path,
            f.location.line or 0,
            f.location.column or 0,
            f.rule.id,
            f.message,
        ),
    )
