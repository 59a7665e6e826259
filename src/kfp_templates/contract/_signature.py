"""The one renderer of a contract function's `def` line (docs/decisions/0051-one-def-renderer.md).

Stubs, the fixes of `USR` findings, the catalogue and the compatibility messages all show the
line the stub writes:
- types in the contract's own spelling (the stub imports what they name; validate compares
  canonical forms, so every spelling of the same type passes);
- a default where the contract requires one, or allows one and gives its `stub_default`; a
  positional parameter after a defaulted one gets `= None`, which Python needs to parse;
- PEP 8 spacing: `seed: int = 0` with an annotation, `seed=0` without;
- `async def` only where the caller asks for it (the contract allows it, and the code has it).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from kfp_templates.contract._annotations import AnnotationError, canonical_text
from kfp_templates.contract._kfp_types import written_returns
from kfp_templates.contract._model import FunctionSpec, ParameterSpec

_POSITIONAL = ("positional_only", "positional_or_keyword")
_STARS = {"var_positional": "*", "var_keyword": "**"}


@lru_cache(maxsize=4096)
def canon(text: str) -> str:
    """The contract's annotation text in canonical form (its own spelling if it cannot be)."""
    try:
        return canonical_text(text)
    except AnnotationError:
        return text


def render_signature(spec: FunctionSpec, *, is_async: bool = False) -> str:
    """`def name(a: T, /, b: U, *, c: V = 0) -> R`: the stub's `def` line, on one line."""
    returns = return_text(spec)
    arrow = f" -> {returns}" if returns is not None else ""
    keyword = "async def" if is_async else "def"
    return f"{keyword} {spec.name}({', '.join(parameter_texts(spec))}){arrow}"


def return_text(spec: FunctionSpec) -> str | None:
    """The return annotation the stub writes (None: none at all)."""
    return written_returns(spec.returns, component=spec.component)


def parameter_texts(spec: FunctionSpec) -> list[str]:
    """Each parameter as written, with `/` and a bare `*` where Python needs them."""
    texts: list[str] = []
    after_default = False
    for parameter in spec.parameters:
        default = default_source(parameter)
        positional = parameter.kind in _POSITIONAL
        if positional and after_default and default is None:
            default = "None"  # `def f(a=1, b)` does not parse
        after_default = after_default or (positional and default is not None)
        texts.append(_parameter_text(parameter, default))
    return _with_separators([p.kind for p in spec.parameters], texts)


def render_parameter(parameter: ParameterSpec) -> str:
    """`name: T = default` for one parameter, with `*`/`**` for the variadic kinds."""
    return _parameter_text(parameter, default_source(parameter))


def default_source(parameter: ParameterSpec) -> str | None:
    """The default the stub writes, as source, or None for no default.

    A string `stub_default` is a Python expression already; any other value is a literal.
    """
    if parameter.kind in _STARS:
        return None
    wanted = parameter.default == "required" or (
        parameter.default == "allowed" and parameter.has_stub_default
    )
    if not wanted:
        return None
    value = parameter.stub_default
    return value if isinstance(value, str) else repr(value)


def _parameter_text(parameter: ParameterSpec, default: str | None) -> str:
    text = _STARS.get(parameter.kind, "") + parameter.name
    if parameter.annotation:
        text += f": {parameter.annotation}"
    if default is None:
        return text
    return f"{text} = {default}" if parameter.annotation else f"{text}={default}"


def _with_separators(kinds: Sequence[str], texts: list[str]) -> list[str]:
    """Insert `/` after positional-only parameters and a bare `*` before keyword-only ones."""
    result: list[str] = []
    for index, (kind, text) in enumerate(zip(kinds, texts, strict=True)):
        if (
            kind == "keyword_only"
            and "var_positional" not in kinds[:index]
            and (index == 0 or kinds[index - 1] != "keyword_only")
        ):
            result.append("*")
        result.append(text)
        if kind == "positional_only" and (index + 1 == len(kinds) or kinds[index + 1] != kind):
            result.append("/")
    return result
