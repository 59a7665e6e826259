"""`producer check`: everything a template repository must pass before a release.

For each template: the contract passes the meta-schema, the reference implementation passes its
own contract, the stubs match the contract, the pipeline compiles and runs on kfp.local with the
reference code, and the contract's version covers its changes since the latest release tag. For
the repository: copier.yml offers exactly the templates present, and template/ vendors each one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from kfp_templates import _stubs
from kfp_templates._errors import ExitCode, KfpTemplatesError, UsageError
from kfp_templates._findings import Finding, Location, exit_code_for, sort_findings
from kfp_templates._layout import find_layout
from kfp_templates._producer import copier_check, kfp_checks, versions
from kfp_templates._producer.git import ReleaseTag
from kfp_templates._producer.repo import TemplateDir, template_dirs
from kfp_templates._project_loader import load_project
from kfp_templates._records import record, replace
from kfp_templates._rules import con as contract_rules
from kfp_templates._rules import ver as rules
from kfp_templates.contract import Contract, load_contract

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """Progress sink that drops messages."""


@record
class CheckOptions:
    """Which checks to run.

    Attributes:
        compile: Compile each pipeline (imports kfp).
        run: Run each template on kfp.local (slow: seconds per step).
        versions: Compare contracts with the latest release tag.
        step_timeout: Seconds one local-run step may take.
        only: Names of the templates to check (all when empty); repository checks still run.
    """

    compile: bool = True
    run: bool = True
    versions: bool = True
    step_timeout: float = 600.0
    only: tuple[str, ...] = ()


@record
class CheckResult:
    """What `producer check` found, and which templates it looked at."""

    findings: tuple[Finding, ...]
    templates: tuple[str, ...]

    @property
    def exit_code(self) -> ExitCode:
        """2 when a contract is broken, 1 when anything else is an error, else 0."""
        return exit_code_for(self.findings)


_ALL_CHECKS = CheckOptions()


def check_repository(
    root: Path, options: CheckOptions = _ALL_CHECKS, progress: Progress = _quiet
) -> CheckResult:
    """Run every producer check on the repository at `root`."""
    templates = template_dirs(root)
    findings: list[Finding] = []
    if not templates:
        findings.append(
            Finding(
                rules.TEMPLATE_CHOICES,
                "no producer_templates/*/contract.yaml",
                Location("producer_templates"),
                "add one with `kfp-templates new-template NAME`",
            )
        )
    findings += copier_check.check_choices(root, templates)
    findings += copier_check.check_links(root, templates)
    tag = versions.latest_tag(root) if options.versions else None
    chosen = [t for t in templates if not options.only or t.name in options.only]
    unknown = sorted(set(options.only) - {t.name for t in templates})
    if unknown:
        raise UsageError(
            f"no template named {', '.join(unknown)} under {root}",
            hint="see `kfp-templates templates list`",
        )
    for template in chosen:
        progress(f"checking {template.relative}")
        findings += check_template(template, options, tag, progress)
    return CheckResult(tuple(sort_findings(findings)), tuple(t.name for t in chosen))


def check_template(
    template: TemplateDir,
    options: CheckOptions,
    tag: ReleaseTag | None = None,
    progress: Progress = _quiet,
) -> list[Finding]:
    """Every check of one template, in the order a producer would fix them."""
    contract, findings = load_contract(template.contract_path, f"{template.relative}/contract.yaml")
    if contract is None:
        return findings
    if contract.name != template.name:
        findings.append(_name_mismatch(template, contract))
    findings += _stub_findings(template, contract)
    if tag is not None:
        findings += versions.check_against_release(template.root, tag, template, contract)[1]
    findings += _reference_and_kfp(template, options, progress)
    return findings


def _name_mismatch(template: TemplateDir, contract: Contract) -> Finding:
    return Finding(
        contract_rules.CONTRACT_SCHEMA,
        f"the contract is named {contract.name!r} but lives in {template.relative}",
        Location(f"{template.relative}/contract.yaml", json_path="/name"),
        f"set `name: {template.name}` or rename the directory",
    )


def _stub_findings(template: TemplateDir, contract: Contract) -> Iterator[Finding]:
    where = f"{template.relative}/stubs"
    for problem in _stubs.drift(_stubs.render_stubs(contract), template.path / "stubs"):
        yield Finding(
            rules.STUBS_DRIFT,
            problem,
            Location(where),
            f"run `kfp-templates stubs {template.relative}` and commit the result",
        )


def _reference_and_kfp(
    template: TemplateDir, options: CheckOptions, progress: Progress
) -> list[Finding]:
    where = f"{template.relative}/pipeline.py"
    try:
        prepared, result = load_project(find_layout(template.path))
    except KfpTemplatesError as error:
        return [Finding(rules.REFERENCE_FAILS, error.message, Location(where), error.hint)]
    findings = [_relocated(template, finding) for finding in result.findings]
    if prepared is None:
        return findings
    if options.compile:
        progress(f"compiling {template.name}")
        findings += kfp_checks.check_compiles(prepared, where)
    if options.run and not any(f.rule is rules.COMPILE_FAILS for f in findings):
        progress(f"running {template.name} on kfp.local")
        findings += kfp_checks.check_runs(prepared, where, options.step_timeout)
    return findings


def _relocated(template: TemplateDir, finding: Finding) -> Finding:
    """A reference-implementation finding, with its path relative to the repository root."""
    path = finding.location.path
    if not path.startswith(template.relative):
        path = f"{template.relative}/reference/{path}"
    return replace(finding, location=replace(finding.location, path=path))
