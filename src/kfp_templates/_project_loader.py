"""The one loader of a project: validate it once, keep the config that validation loaded.

compile, run, submit and publish all start from a `LoadedProject`, so none of them validates a
second time or reads `config.yaml` again (decision 56). No kfp or aiplatform import here: `run`
loads in its parent process and imports kfp only in its child, and `submit --dry-run` must stay
light.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kfp_templates._errors import ConsumerError, ContractError, KfpTemplatesError
from kfp_templates._findings import Finding
from kfp_templates._layout import ProjectLayout, find_layout
from kfp_templates._pipeline_ref import PipelineRef
from kfp_templates._records import record
from kfp_templates.contract import Contract, load_contract
from kfp_templates.validators import whole_project as validation
from kfp_templates.validators.config import require_valid_config


@record
class LoadedProject:
    """A validated project, ready to compile, run or submit.

    Attributes:
        layout: Where things are.
        contract: The template's contract.
        config: The consumer's config with the contract's defaults applied.
    """

    layout: ProjectLayout
    contract: Contract
    config: Mapping[str, Any]

    @property
    def ref(self) -> PipelineRef:
        """The template's pipeline factory, which compiling and running need.

        Raises:
            ContractError: when the contract names no pipeline (the template cannot be compiled).
        """
        pipeline = self.contract.pipeline
        if pipeline is None:
            raise ContractError(
                f"the contract of template {self.contract.name} has no `pipeline` entry",
                hint="the producer must add `pipeline: {module: pipeline, function: NAME}`",
                location=self.layout.display(self.layout.contract_path),
            )
        return PipelineRef(
            self.layout.template_dir, self.contract.name, pipeline.module, pipeline.function
        )


def load_project(
    layout: ProjectLayout, *, need_pipeline: bool = True
) -> tuple[LoadedProject | None, validation.ValidationResult]:
    """Validate the project; when nothing is an error, also the project with its config.

    Args:
        layout: The project.
        need_pipeline: Refuse, before anything is reported, a contract without a `pipeline`
            entry (compile and run); submitting a given or published pipeline does not need it.

    Raises:
        ContractError: when `need_pipeline` and the contract names no pipeline.
    """
    result = validation.validate_project(layout)
    if result.contract is None or result.loaded_config is None or result.exit_code != 0:
        return None, result
    project = LoadedProject(layout, result.contract, result.loaded_config.data)
    if need_pipeline:
        project.ref  # noqa: B018 - raises the ContractError when the pipeline entry is missing
    return project, result


def errors_of(result: validation.ValidationResult) -> list[Finding]:
    """The findings that stop a command (warnings left out)."""
    return [finding for finding in result.findings if finding.is_error]


def refusal(result: validation.ValidationResult) -> KfpTemplatesError:
    """The error a command that cannot report findings raises when validation found errors."""
    errors = errors_of(result)
    kind = (
        ContractError if any(finding.is_producer_problem for finding in errors) else ConsumerError
    )
    return kind(
        f"{len(errors)} validation error(s); nothing was submitted",
        hint="fix them (`kfp-templates validate` lists them) and submit again",
    )


def load_settings(path: Path) -> Mapping[str, Any]:
    """Only the config (contract and config checked, user code not), for `schedules`.

    Listing or deleting schedules must keep working while the consumer's code is mid-change.

    Raises:
        ContractError: when the contract cannot be loaded.
        ConsumerError: when the config has errors.
    """
    layout = find_layout(path)
    contract, findings = load_contract(layout.contract_path, layout.display(layout.contract_path))
    if contract is None:
        first = findings[0] if findings else None
        raise ContractError(
            first.message if first else "the contract cannot be loaded",
            hint=first.fix if first else "run `kfp-templates validate`",
            location=first.location.render() if first else "",
        )
    return require_valid_config(layout, contract)
