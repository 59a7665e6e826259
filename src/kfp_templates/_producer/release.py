"""`release VERSION`: check everything, then create the tag copier will pick.

copier offers consumers the highest PEP 440 tag, and a commit carrying two version tags makes
`copier update` ambiguous, so the release refuses a HEAD that already has one. Before tagging:
the tree is clean, VERSION is above every existing version tag, `producer check` passes, every
template changed since the last release has a CHANGELOG entry, and each contract's version
covers its changes (checked by `producer check` against the latest tag).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from packaging.version import Version

from kfp_templates._errors import ExitCode, UsageError
from kfp_templates._findings import Finding, Location, exit_code_for, sort_findings
from kfp_templates._producer import copier_check, git
from kfp_templates._producer.check import CheckOptions, Progress, check_repository
from kfp_templates._producer.repo import TemplateDir, template_dirs
from kfp_templates._records import record
from kfp_templates._rules import ver as rules
from kfp_templates.contract import load_contract

_SHOWN_DIRTY = 5


@record
class ReleasePlan:
    """What a release would tag, and what stands in its way.

    Attributes:
        tag: The tag to create, `vVERSION`.
        previous: The highest existing version tag, if any.
        changed: Templates changed since `previous` (all of them for a first release).
        findings: Problems; any error means no tag.
    """

    tag: str
    previous: str
    changed: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def exit_code(self) -> ExitCode:
        """0 when the release may be tagged; else 2 for a broken contract, 1 for other errors."""
        return exit_code_for(self.findings)


def parse_version(text: str) -> Version:
    """VERSION as typed (`1.2.0` or `v1.2.0`), or a UsageError."""
    version = git.parse_tag(text)
    if version is None:
        raise UsageError(
            f"{text!r} is not a PEP 440 version",
            hint="use a version such as 1.2.0 (the tag will be v1.2.0)",
        )
    return version


def plan_release(
    root: Path, version: Version, options: CheckOptions, progress: Progress
) -> ReleasePlan:
    """Check that `version` may be released from `root`'s HEAD; raise on unusable state."""
    _require_releasable_state(root)
    tags = git.release_tags(root)
    previous = tags[0] if tags else None
    if previous is not None and version <= previous.version:
        raise UsageError(
            f"{version} is not above the latest version tag {previous.name}",
            hint=f"choose a version above {previous.version}",
        )
    result = check_repository(root, options, progress)
    templates = template_dirs(root)
    changed = [t for t in templates if previous is None or _changed(root, previous, t)]
    findings = [
        *result.findings,
        *_changelog_findings(changed, version),
        *copier_check.placeholder_labels(root),
    ]
    return ReleasePlan(
        f"v{version}",
        previous.name if previous else "",
        tuple(t.name for t in changed),
        tuple(sort_findings(findings)),
    )


def tag_release(root: Path, plan: ReleasePlan) -> None:
    """Create the annotated tag of a plan that has no errors."""
    templates = ", ".join(plan.changed) or "no template changes"
    git.create_tag(root, plan.tag, f"kfp-templates {plan.tag}: {templates}")


def _require_releasable_state(root: Path) -> None:
    if not git.is_repository(root):
        raise UsageError(f"{root} is not in a git repository", hint="run in the template repo")
    dirty = git.dirty_paths(root)
    if dirty:
        shown = ", ".join(dirty[:_SHOWN_DIRTY]) + (" ..." if len(dirty) > _SHOWN_DIRTY else "")
        raise UsageError(
            f"the work tree is not clean: {shown}",
            hint="commit or stash the changes; a release tags a commit",
        )
    on_head = git.head_version_tags(root)
    if on_head:
        raise UsageError(
            f"HEAD already carries the version tag {on_head[0]}",
            hint="commit the release's changes first: one version tag per commit",
        )


def _changed(root: Path, previous: git.ReleaseTag, template: TemplateDir) -> bool:
    return git.changed_since(root, previous.name, template.relative)


def _changelog_findings(changed: list[TemplateDir], version: Version) -> Iterator[Finding]:
    for template in changed:
        path = template.path / "CHANGELOG.md"
        display = f"{template.relative}/CHANGELOG.md"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        accepted = [str(version), *_contract_version(template)]
        if not any(has_entry(text, wanted) for wanted in accepted):
            yield Finding(
                rules.CHANGELOG_ENTRY_MISSING,
                f"{template.name} changed since the last release but its changelog "
                f"has no entry for {version}",
                Location(display),
                f"add a `## {version}` section saying what changed for consumers",
            )


def _contract_version(template: TemplateDir) -> list[str]:
    contract, _ = load_contract(template.contract_path, template.relative)
    return [contract.version] if contract else []


def has_entry(changelog: str, version: str) -> bool:
    """Whether a Markdown heading names `version` (`## 1.2.0`, `## [v1.2.0] - 2026-01-01`)."""
    pattern = rf"^#{{2,3}}\s*\[?v?{re.escape(version)}\]?(\s|$)"
    return re.search(pattern, changelog, flags=re.MULTILINE) is not None
