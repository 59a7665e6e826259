"""Reporters: findings to text for people, JSON for tools, annotations for GitHub Actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from kfp_templates._findings import Finding

FORMATS = ("text", "json", "github")


def render(
    findings: Sequence[Finding], fmt: str, *, checked: str, for_producer: bool = False
) -> str:
    """All findings in the format `fmt`.

    Args:
        findings: What to report.
        fmt: One of FORMATS.
        checked: What was validated, named in the summary line.
        for_producer: The reader is the template's producer, so the summary does not tell them
            to go and tell the producer.
    """
    if fmt == "json":
        return _json(findings)  # json.dumps escapes every non-ASCII character itself
    if fmt == "github":
        return printable(_github(findings))
    return printable(_text(findings, checked, for_producer))


def printable(text: str) -> str:
    """`text` safe to write to any UTF-8 stream: a file name that is not UTF-8 reaches us with
    its bytes as lone surrogates (PEP 383), which a strict UTF-8 stdout refuses; they are shown
    as `\\xNN`, the bytes of the name, as `ls -b` would."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _text(findings: Sequence[Finding], checked: str, for_producer: bool) -> str:
    lines = []
    for finding in findings:
        head = f"{finding.location.render()}: {finding.rule.id} {finding.severity.value}: "
        lines.append(head + finding.message)
        if finding.fix:
            lines.append(f"  fix: {finding.fix}")
    lines.append(_summary(findings, checked, for_producer))
    return "\n".join(lines)


def _summary(findings: Sequence[Finding], checked: str, for_producer: bool) -> str:
    checked = _named(checked)
    errors = sum(finding.is_error for finding in findings)
    warnings = len(findings) - errors
    if not findings:
        return f"{checked}: all checks passed"
    producer = not for_producer and any(f.is_producer_problem and f.is_error for f in findings)
    who = " (the template itself is broken: tell its producer)" if producer else ""
    return f"{checked}: {errors} error(s), {warnings} warning(s){who}"


def _named(checked: str) -> str:
    """The current directory by its name: `myproj: all checks passed`, never `.: ...`."""
    if checked not in (".", "./"):
        return checked
    return Path.cwd().name or checked


def _json(findings: Sequence[Finding]) -> str:
    return json.dumps([_as_dict(finding) for finding in findings], indent=2)


def _as_dict(finding: Finding) -> dict[str, object]:
    where = finding.location
    return {
        "rule": finding.rule.id,
        "title": finding.rule.title,
        "family": finding.rule.family.value,
        "severity": finding.severity.value,
        "message": finding.message,
        "fix": finding.fix,
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "json_path": where.json_path,
    }


def _github(findings: Sequence[Finding]) -> str:
    """Workflow commands GitHub Actions turns into annotations on the pull request."""
    lines = []
    for finding in findings:
        level = "error" if finding.is_error else "warning"
        place = f"file={_escape_property(finding.location.path)}"
        if finding.location.line is not None:
            place += f",line={finding.location.line}"
            if finding.location.column is not None:
                place += f",col={finding.location.column}"
        title = _escape_property(f"{finding.rule.id} {finding.rule.title}")
        text = _escape_data(
            f"{finding.message}. Fix: {finding.fix}" if finding.fix else finding.message
        )
        lines.append(f"::{level} {place},title={title}::{text}")
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
