"""Compare each template's contract with the one in the latest release tag."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._producer import git
from kfp_templates._producer.compat import Change, compare_contracts, contract_from_text
from kfp_templates._producer.repo import CONTRACT_FILE, TemplateDir
from kfp_templates._producer.semver import check_version_bump
from kfp_templates._rules import ver as rules
from kfp_templates.contract import Contract


def released_contract(
    root: Path, ref: str, template: TemplateDir
) -> tuple[Contract | None, list[Finding]]:
    """The template's contract at `ref`; (None, []) when the template did not exist then."""
    path = f"{template.relative}/{CONTRACT_FILE}"
    text = git.show_file(root, ref, path)
    if text is None:
        return None, []
    old, findings = contract_from_text(text, f"{ref}:{path}")
    if old is None:
        message = f"the contract at {ref} cannot be loaded ({len(findings)} finding(s))"
        hint = f"check it with `git show {ref}:{path}`"
        return None, [
            Finding(
                rules.RELEASED_CONTRACT_UNREADABLE, message, Location(path), hint, Severity.WARNING
            )
        ]
    return old, []


def check_against_release(
    root: Path, tag: git.ReleaseTag, template: TemplateDir, current: Contract
) -> tuple[list[Change], list[Finding]]:
    """Changes since `tag` and the `VER1xx` findings when the version bump does not cover them."""
    old, findings = released_contract(root, tag.name, template)
    if old is None:
        return [], findings
    changes = compare_contracts(old, current)
    display = f"{template.relative}/{CONTRACT_FILE}"
    return changes, check_version_bump(old, current, changes, display)


def latest_tag(root: Path) -> git.ReleaseTag | None:
    """The latest release tag of the repository at `root`, or None (no git, or no tags yet)."""
    if not git.is_repository(root):
        return None
    return git.latest_release(root)


def iter_version_findings(
    root: Path, tag: git.ReleaseTag | None, contracts: dict[str, Contract]
) -> Iterator[Finding]:
    """Version findings for every template with a loaded contract."""
    if tag is None:
        return
    for name, contract in sorted(contracts.items()):
        yield from check_against_release(root, tag, TemplateDir(root, name), contract)[1]
