"""The contract as typed, frozen data, built only from documents that passed the meta-schema."""

from __future__ import annotations

from pathlib import Path

from kfp_templates._records import field, record

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

PARAMETER_KINDS = (
    "positional_only",
    "positional_or_keyword",
    "var_positional",
    "keyword_only",
    "var_keyword",
)


@record
class ParameterSpec:
    """One required parameter of a user function.

    `null_stub_default` records what `stub_default=None` cannot: that the contract wrote
    `stub_default: null`, a default for the stub to write, rather than none at all.
    """

    name: str
    kind: str = "positional_or_keyword"
    annotation: str | None = None
    default: str = "forbidden"
    stub_default: Any = None
    description: str = ""
    optional: bool = False
    null_stub_default: bool = False

    @property
    def has_stub_default(self) -> bool:
        """Whether the contract gives a `stub_default`; `stub_default: null` gives None."""
        return self.stub_default is not None or self.null_stub_default


@record
class FunctionSpec:
    """One function the consumer must write in `user/`.

    `returns` is None when the contract leaves the return annotation open: any, or none, passes.
    """

    module: str
    name: str
    parameters: tuple[ParameterSpec, ...]
    returns: str | None = None
    doc: str = ""
    extra_parameters: str = "with_default"
    allow_async: bool = False
    component: bool = False
    stub_body: str = ""
    examples: tuple[dict[str, Any], ...] = ()
    index: int = 0

    @property
    def qualified_name(self) -> str:
        """`user.train:train`, the way findings and docs name the function."""
        return f"{self.module}:{self.name}"

    @property
    def file(self) -> str:
        """The file the function belongs in, relative to the project root."""
        return self.module.replace(".", "/") + ".py"


@record
class PipelineSpec:
    """Where the template's pipeline function lives and which steps accept task options."""

    module: str
    function: str
    steps: tuple[str, ...] = ()


@record
class Contract:
    """A loaded, meta-schema-valid contract."""

    name: str
    version: str
    min_tool_version: str
    functions: tuple[FunctionSpec, ...]
    config_schema: dict[str, Any]
    source: Path
    description: str = ""
    config_path: str = "config.yaml"
    pipeline: PipelineSpec | None = None
    requirements: tuple[str, ...] = ()
    base_image: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def modules(self) -> tuple[str, ...]:
        """Required user modules, in contract order, without repeats."""
        return tuple(dict.fromkeys(function.module for function in self.functions))


def contract_from_document(document: dict[str, Any], source: Path) -> Contract:
    """Build the typed contract from a document that already passed the meta-schema."""
    pipeline = document.get("pipeline")
    return Contract(
        name=document["name"],
        version=document["version"],
        min_tool_version=document["min_tool_version"],
        functions=tuple(_function(item, index) for index, item in enumerate(document["functions"])),
        config_schema=document["config"]["schema"],
        config_path=document["config"].get("path", "config.yaml"),
        source=source,
        description=document.get("description", ""),
        pipeline=_pipeline(pipeline) if pipeline else None,
        requirements=tuple(document.get("requirements", ())),
        base_image=document.get("base_image", ""),
        raw=document,
    )


def _pipeline(item: dict[str, Any]) -> PipelineSpec:
    return PipelineSpec(item["module"], item["function"], tuple(item.get("steps", ())))


def _function(item: dict[str, Any], index: int) -> FunctionSpec:
    return FunctionSpec(
        module=item["module"],
        name=item["name"],
        parameters=tuple(_parameter(p) for p in item["parameters"]),
        returns=item.get("returns"),
        doc=item.get("doc", ""),
        extra_parameters=item.get("extra_parameters", "with_default"),
        allow_async=item.get("allow_async", False),
        component=item.get("component", False),
        stub_body=item.get("stub_body", ""),
        examples=tuple(item.get("examples", ())),
        index=index,
    )


def _parameter(item: dict[str, Any]) -> ParameterSpec:
    return ParameterSpec(
        name=item["name"],
        kind=item.get("kind", "positional_or_keyword"),
        annotation=item.get("annotation"),
        default=item.get("default", "forbidden"),
        stub_default=item.get("stub_default"),
        description=item.get("description", ""),
        optional=item.get("optional", False),
        null_stub_default="stub_default" in item and item["stub_default"] is None,
    )
