"""Whether a contract's version bump covers its changes (semver, with the 0.x convention).

Breaking changes need a major bump; for 0.x versions a minor bump counts as major, as semver's
0.x convention and copier's "highest tag wins" make consumers expect. A changed contract with an
unchanged version, or a version going down, is an error too.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from kfp_templates._findings import Finding, Location
from kfp_templates._producer.compat import Change
from kfp_templates._rules import ver as rules
from kfp_templates.contract import Contract


def check_version_bump(
    old: Contract, new: Contract, changes: list[Change], display: str
) -> list[Finding]:
    """`VER1xx` findings when `new.version` does not cover the changes since `old`."""
    where = Location(display, json_path="/version")
    old_v, new_v = _version(old.version), _version(new.version)
    if new_v < old_v:
        return [
            Finding(
                rules.VERSION_DECREASED,
                f"version {new.version} is lower than the released {old.version}",
                where,
                f"set version above {old.version}",
            )
        ]
    if new_v == old_v:
        if old.raw == new.raw:
            return []
        message = f"the contract changed since {old.version} but its version did not"
        fix = f"set version to {suggest_version(old.version, changes)}"
        return [Finding(rules.VERSION_NOT_BUMPED, message, where, fix)]
    breaking = [change for change in changes if change.breaking]
    if breaking and not is_major_bump(old.version, new.version):
        listed = "; ".join(f"{change.rule.id} {change.message}" for change in breaking)
        return [
            Finding(
                rules.BREAKING_WITHOUT_MAJOR,
                f"{old.version} -> {new.version} is not a major bump, but: {listed}",
                where,
                f"set version to {suggest_version(old.version, changes)}",
            )
        ]
    return []


def is_major_bump(old: str, new: str) -> bool:
    """Whether `old` -> `new` may break consumers: major up, or minor up while major is 0."""
    return _breaking_level(_version(new)) > _breaking_level(_version(old))


def suggest_version(old: str, changes: list[Change]) -> str:
    """The smallest version after `old` that covers `changes`."""
    major, minor, patch = _version(old).release[:3]
    if any(change.breaking for change in changes):
        return f"0.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"
    compatible = [change for change in changes if change.rule is not rules.DOC_CHANGED]
    return f"{major}.{minor + 1}.0" if compatible else f"{major}.{minor}.{patch + 1}"


def _breaking_level(version: Version) -> tuple[int, ...]:
    major, minor = (*version.release, 0, 0)[:2]
    return (major, minor) if major == 0 else (major,)


def _version(text: str) -> Version:
    """A contract version (semver, checked by the meta-schema) as a comparable PEP 440 version."""
    core, _, pre = text.partition("-")
    try:
        return Version(core + ("rc0" if pre else ""))
    except InvalidVersion:  # the meta-schema already rejects these; compare as 0 to stay total
        return Version("0")
