"""kfp-templates: template pipelines for Kubeflow Pipelines, with contracts for consumers' code.

The public surface is small on purpose; everything else lives in private modules.
"""

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

__all__ = [
    "ConsumerError",
    "ContractError",
    "Finding",
    "InternalError",
    "KfpTemplatesError",
    "Location",
    "Rule",
    "Severity",
    "UsageError",
    "__version__",
]
