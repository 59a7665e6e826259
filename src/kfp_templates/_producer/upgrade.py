"""`upgrade-check`: before `copier update`, what a consumer's code and config must change.

The contract of the target release is read from the template source the project was copied
from (`.copier-answers.yml`: `_src_path` and the `template` answer) with `git show REF:path`, or
from a file. The consumer's project is then validated against it exactly as `validate` would
after the update, and the contract changes are classified (breaking or compatible).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kfp_templates._errors import ExitCode, UsageError
from kfp_templates._findings import Finding, exit_code_for, sort_findings
from kfp_templates._layout import ProjectLayout
from kfp_templates._producer import git
from kfp_templates._producer.compat import Change, compare_contracts
from kfp_templates._producer.repo import CONTRACT_FILE, PRODUCER_DIR
from kfp_templates._records import record, replace
from kfp_templates._yamlio import YamlLoadError, load_yaml
from kfp_templates.contract import load_contract
from kfp_templates.validators.whole_project import validate_project

ANSWERS_FILE = ".copier-answers.yml"


@record
class TargetContract:
    """The contract to upgrade to: its text and how messages name it (`v2.0.0:producer_...`)."""

    text: str
    label: str


@record
class UpgradeReport:
    """What upgrading means for one project."""

    findings: tuple[Finding, ...]
    changes: tuple[Change, ...]
    label: str
    old_version: str
    new_version: str

    @property
    def exit_code(self) -> ExitCode:
        """2 when the target contract is broken, 1 when code or config must change, else 0."""
        # A breaking change (VER2xx) is the consumer's work (exit 1), not a broken contract.
        return exit_code_for(self.findings)


def read_answers(root: Path) -> dict[str, object]:
    """The project's copier answers, or a UsageError saying how to go on without them."""
    path = root / ANSWERS_FILE
    hint = "run in a project made by `copier copy`, or pass --contract FILE"
    if not path.is_file():
        raise UsageError(f"no {ANSWERS_FILE} in {root}", hint=hint)
    try:
        data = load_yaml(path.read_text(encoding="utf-8")).data
    except (YamlLoadError, UnicodeDecodeError) as error:
        raise UsageError(f"{path} cannot be read: {error}", hint=hint) from error
    if not isinstance(data, dict) or not isinstance(data.get("_src_path"), str):
        raise UsageError(f"{path} has no `_src_path`", hint=hint)
    return data


def fetch_contract(
    source: str, ref: str | None, template: str, project: Path = Path(".")
) -> TargetContract:
    """The template's contract at `ref` (default: the latest release) in the template source.

    A relative local `source` is tried against the project first: copier records it as typed.
    """
    path = f"{PRODUCER_DIR}/{template}/{CONTRACT_FILE}"
    with tempfile.TemporaryDirectory(prefix="kfp-templates-src-") as scratch:
        repo = _local_repository(source, Path(scratch), project)
        ref = ref or _latest(repo, source)
        text = git.show_file(repo, ref, path)
    if text is None:
        raise UsageError(
            f"{source} has no {path} at {ref}",
            hint="check the template name and the ref (`git tag --list`)",
        )
    return TargetContract(text, f"{ref}:{path}")


def _local_repository(source: str, scratch: Path, project: Path) -> Path:
    """`source` itself when it is a local repository, else a bare clone of it in `scratch`."""
    for local in (project / Path(source).expanduser(), Path(source).expanduser()):
        if local.is_dir():
            return local
    url = "https://github.com/" + source.removeprefix("gh:") if source.startswith("gh:") else source
    git.run_git(scratch, "clone", "--quiet", "--bare", "--filter=blob:none", url, "source.git")
    return scratch / "source.git"


def _latest(repo: Path, source: str) -> str:
    tag = git.latest_release(repo)
    if tag is None:
        raise UsageError(f"{source} has no release tags", hint="pass --to REF")
    return tag.name


def upgrade_check(layout: ProjectLayout, target: TargetContract) -> UpgradeReport:
    """Validate the project against `target` and classify the contract changes."""
    with tempfile.TemporaryDirectory(prefix="kfp-templates-upgrade-") as scratch:
        contract_path = Path(scratch) / CONTRACT_FILE
        contract_path.write_text(target.text, encoding="utf-8")
        new_layout = replace(layout, contract_path=contract_path)
        result = validate_project(new_layout)
    findings = [_relabel(finding, str(contract_path), target.label) for finding in result.findings]
    current, _ = load_contract(layout.contract_path, layout.display(layout.contract_path))
    if current is None or result.contract is None:
        return UpgradeReport(tuple(findings), (), target.label, "", "")
    changes = tuple(compare_contracts(current, result.contract))
    findings += [change.as_finding(target.label) for change in changes]
    return UpgradeReport(
        tuple(sort_findings(findings)),
        changes,
        target.label,
        current.version,
        result.contract.version,
    )


def _relabel(finding: Finding, temporary: str, label: str) -> Finding:
    if finding.location.path != temporary:
        return finding
    location = replace(finding.location, path=label)
    return replace(finding, location=location)
