"""Validate a whole project: contract first, then user code, config and update leftovers."""

from __future__ import annotations

from kfp_templates._findings import Finding, Report, sort_findings
from kfp_templates._layout import ProjectLayout
from kfp_templates._records import record
from kfp_templates.contract import Contract, checked_contract, read_contract
from kfp_templates.validators import config, dependencies, leftovers, links, user_code
from kfp_templates.validators._parallel_extract import Ahead
from kfp_templates.validators.extract import ModuleReader, extraction_ahead


@record
class ValidationResult(Report):
    """Everything `validate` found, its exit code, and the contract when it could be loaded."""

    contract: Contract | None
    loaded_config: config.LoadedConfig | None = None  # kept so commands never load it again


def validate_project(layout: ProjectLayout) -> ValidationResult:
    """All findings for the project at `layout`, in a stable order.

    A large `user/` starts being parsed on the other cores as soon as the contract is parsed,
    while the contract is checked (`extraction_ahead`); the findings are the same either way.
    """
    display = layout.display(layout.contract_path)
    loaded, findings = read_contract(layout.contract_path, display)
    if loaded is None:
        return ValidationResult(tuple(findings), None)
    ahead = extraction_ahead(layout.root, loaded.data)
    try:
        contract, findings = checked_contract(loaded, layout.contract_path, display)
        if contract is None:
            return ValidationResult(tuple(findings), None)
        found = [
            *leftovers.check_leftovers(layout, contract),
            *links.check_links(layout),
            *_user_findings(layout, contract, ahead),
        ]
    finally:
        if ahead is not None:
            ahead.close()
    loaded_config = config.load_config(layout, contract)
    found.extend(loaded_config.findings)
    return ValidationResult(tuple(sort_findings(found)), contract, loaded_config)


def _user_findings(layout: ProjectLayout, contract: Contract, ahead: Ahead | None) -> list[Finding]:
    """The interface and dependency checks of `user/`, sharing one parse of each module."""
    reader = ModuleReader(layout.root)
    return [
        *user_code.check_user_code(layout, contract, reader, ahead),
        *dependencies.check_dependencies(layout, contract, reader),
    ]
