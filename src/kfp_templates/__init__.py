"""kfp-templates: template pipelines for Kubeflow Pipelines, with contracts for consumers' code.

The public surface is small on purpose; everything else lives in private modules.
`TemplateContext`, what a producer's pipeline factory receives, is loaded on first use because it
imports kfp, which `validate` must never pay for.
"""

from typing import TYPE_CHECKING, Any

from kfp_templates._errors import (
    ConsumerError,
    ContractError,
    InternalError,
    KfpTemplatesError,
    UsageError,
)
from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._rules._model import Rule
from kfp_templates._version import __version__

if TYPE_CHECKING:
    from kfp_templates._kfp.context import TemplateContext

__all__ = [
    "ConsumerError",
    "ContractError",
    "Finding",
    "InternalError",
    "KfpTemplatesError",
    "Location",
    "Rule",
    "Severity",
    "TemplateContext",
    "UsageError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """Import `TemplateContext` (and with it kfp) only when someone asks for it."""
    if name == "TemplateContext":
        from kfp_templates._kfp.context import TemplateContext  # noqa: PLC0415 - lazy on purpose

        return TemplateContext
    raise AttributeError(f"module 'kfp_templates' has no attribute {name!r}")
