"""The contract: what a template pipeline requires of its consumers' `user/` code and config.

The typed model, loading and checking a contract (`CON` findings), the canonical text of type
annotations (the contract's and the consumer's alike), KFP's rules for component annotations,
the bundled JSON Schemas with the one no-fetch `$ref` registry, the fast validity pre-check, and
the one renderer of a contract function's `def` line. Every other package imports these names
from here, never a private module of this package (docs/decisions/0050-contract-package.md).

Loading and the schemas import jsonschema and PyYAML, which every CLI start would otherwise pay
for (the CLI imports each command module to build its parser): those names load on first use.
"""

from __future__ import annotations

from kfp_templates.contract._annotations import (
    AnnotationError,
    ImportMap,
    canonical,
    canonical_name,
    canonical_text,
    unparse,
)
from kfp_templates.contract._fastcheck import is_valid, json_equal
from kfp_templates.contract._kfp_resolver import Resolver, kfp_type_problem
from kfp_templates.contract._kfp_types import (
    ANY_OUTPUT,
    KfpType,
    KfpTypeError,
    shown,
    written_returns,
)
from kfp_templates.contract._model import (
    PARAMETER_KINDS,
    Contract,
    FunctionSpec,
    ParameterSpec,
    PipelineSpec,
    contract_from_document,
)
from kfp_templates.contract._signature import (
    canon,
    default_source,
    parameter_texts,
    render_parameter,
    render_signature,
    return_text,
)

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

    from kfp_templates.contract._loading import (
        check_contract_document,
        checked_contract,
        load_contract,
        read_contract,
    )
    from kfp_templates.contract._schemas import (
        BUNDLED_PREFIX,
        bundled_documents,
        bundled_registry,
        bundled_schema,
        schema_validator,
    )

# Names whose modules import jsonschema or PyYAML, by the private module that defines them.
_ON_FIRST_USE = {
    "check_contract_document": "_loading",
    "checked_contract": "_loading",
    "load_contract": "_loading",
    "read_contract": "_loading",
    "BUNDLED_PREFIX": "_schemas",
    "bundled_documents": "_schemas",
    "bundled_registry": "_schemas",
    "bundled_schema": "_schemas",
    "schema_validator": "_schemas",
}

__all__ = [
    "ANY_OUTPUT",
    "BUNDLED_PREFIX",
    "PARAMETER_KINDS",
    "AnnotationError",
    "Contract",
    "FunctionSpec",
    "ImportMap",
    "KfpType",
    "KfpTypeError",
    "ParameterSpec",
    "PipelineSpec",
    "Resolver",
    "bundled_documents",
    "bundled_registry",
    "bundled_schema",
    "canon",
    "canonical",
    "canonical_name",
    "canonical_text",
    "check_contract_document",
    "checked_contract",
    "contract_from_document",
    "default_source",
    "is_valid",
    "json_equal",
    "kfp_type_problem",
    "load_contract",
    "parameter_texts",
    "read_contract",
    "render_parameter",
    "render_signature",
    "return_text",
    "schema_validator",
    "shown",
    "unparse",
    "written_returns",
]


def __getattr__(name: str) -> Any:
    """Import the loading and schema names (and with them jsonschema) on first use."""
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module  # noqa: PLC0415 - only the lazy names need it

    return getattr(import_module(f"{__name__}.{module}"), name)
