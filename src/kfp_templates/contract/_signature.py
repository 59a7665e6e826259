"""Contract functions as Python source text, for messages and fixes."""

from __future__ import annotations

from functools import lru_cache

from kfp_templates.contract._annotations import AnnotationError, canonical_text
from kfp_templates.contract._model import FunctionSpec, ParameterSpec


@lru_cache(maxsize=4096)
def canon(text: str) -> str:
    """The contract's annotation text in canonical form (its own spelling if it cannot be)."""
    try:
        return canonical_text(text)
    except AnnotationError:
        return text


def render_signature(spec: FunctionSpec) -> str:
    """`def name(a: T, /, b: U, *, c: V = 0) -> R`, as the stub would have it."""
    parts: list[str] = []
    kinds = [p.kind for p in spec.parameters]
    for index, parameter in enumerate(spec.parameters):
        bare_star = "var_positional" not in kinds[:index] and (
            index == 0 or kinds[index - 1] != "keyword_only"
        )
        if parameter.kind == "keyword_only" and bare_star:
            parts.append("*")
        parts.append(render_parameter(parameter))
        following = kinds[index + 1] if index + 1 < len(kinds) else None
        if parameter.kind == "positional_only" and following != "positional_only":
            parts.append("/")
    returns = f" -> {canon(spec.returns)}" if spec.returns is not None else ""
    return f"def {spec.name}({', '.join(parts)}){returns}"


def render_parameter(parameter: ParameterSpec) -> str:
    """`name: T = default` for one parameter, with `*`/`**` for the variadic kinds."""
    star = {"var_positional": "*", "var_keyword": "**"}.get(parameter.kind, "")
    text = f"{star}{parameter.name}"
    if parameter.annotation:
        text += f": {canon(parameter.annotation)}"
    if parameter.default == "forbidden" or star:
        return text
    default = parameter.stub_default
    return f"{text} = {default if isinstance(default, str) else repr(default)}"
