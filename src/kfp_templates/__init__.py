"""kfp-templates: template pipelines for Kubeflow Pipelines, with contracts for consumers' code.

The public surface is small on purpose (docs/library.md); everything else lives in private
modules. Two names are loaded on first use, so `import kfp_templates` stays light:
`validate_project` (which loads the validators) and `TemplateContext`, what a producer's pipeline
factory receives (which imports kfp, something `validate` must never pay for).
"""

from __future__ import annotations

from kfp_templates._errors import (
    ConsumerError,
    ContractError,
    ExitCode,
    InternalError,
    KfpTemplatesError,
    UsageError,
)
from kfp_templates._findings import Finding, Location, Report, Severity, exit_code_for
from kfp_templates._rules._model import Family, Rule
from kfp_templates._version import __version__

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

    from kfp_templates._api import validate_project
    from kfp_templates._kfp.context import TemplateContext

__all__ = [
    "ConsumerError",
    "ContractError",
    "ExitCode",
    "Family",
    "Finding",
    "InternalError",
    "KfpTemplatesError",
    "Location",
    "Report",
    "Rule",
    "Severity",
    "TemplateContext",
    "UsageError",
    "__version__",
    "exit_code_for",
    "validate_project",
]


def __getattr__(name: str) -> Any:
    """Import `validate_project` or `TemplateContext` (and with it kfp) only when asked for."""
    if name == "validate_project":
        from kfp_templates._api import validate_project  # noqa: PLC0415 - lazy on purpose

        return validate_project
    if name == "TemplateContext":
        from kfp_templates._kfp.context import TemplateContext  # noqa: PLC0415 - lazy on purpose

        return TemplateContext
    raise AttributeError(f"module 'kfp_templates' has no attribute {name!r}")
