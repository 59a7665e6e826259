"""The consumer's starting `config.yaml`, written from the defaults in a contract's config schema.

The producer's config schema (with its `$ref`s to the shared `urn:kfp-templates:config` blocks) is
the one source of the defaults, and its `description`s become comments, so a consumer reads what
each setting means next to it. Two renderings exist: plain YAML (the stubs, `stubs --missing`) and
a Jinja one where the settings copier asks about (GCP project, region, image registry, ...) are
`{{ config_* }}` variables that `copier.yml` computes from the answers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import yaml
from referencing import Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from kfp_templates._errors import ContractError
from kfp_templates._records import record
from kfp_templates.contract import Contract, bundled_registry

if TYPE_CHECKING:  # only for annotations; the class lives in a private module of referencing
    from referencing._core import Resolver

_SCHEMA_ID = "urn:kfp-templates:stub-config-schema"
_MAX_REF_HOPS = 20
_COMMENT_WIDTH = 96

#: Config settings filled from copier answers, by path; the value is the copier variable.
ANSWERED_SETTINGS: Mapping[tuple[str, ...], str] = {
    ("gcp", "project"): "config_gcp_project",
    ("gcp", "region"): "config_gcp_region",
    ("gcp", "service_account"): "config_gcp_service_account",
    ("image", "registry"): "config_image_registry",
    ("image", "name"): "config_image_name",
    ("image", "identifier"): "config_image_identifier",
    ("run", "pipeline_root"): "config_run_pipeline_root",
}


@record
class ConfigEntry:
    """One key of the default config: a leaf value, or nested entries when `children` is set."""

    key: str
    path: tuple[str, ...]
    value: Any = None
    children: tuple[ConfigEntry, ...] | None = None
    description: str = ""


def default_entries(contract: Contract) -> tuple[ConfigEntry, ...]:
    """The entries of the default config, in schema order.

    Raises:
        ContractError: when a `$ref` in the config schema cannot be resolved.
    """
    resource = Resource.from_contents(contract.config_schema, default_specification=DRAFT202012)
    resolver = bundled_registry().with_resource(_SCHEMA_ID, resource).resolver(_SCHEMA_ID)
    schema, resolver = _resolve(contract.config_schema, resolver)
    return tuple(_entries(schema, resolver, ()))


def _resolve(schema: Any, resolver: Resolver[Any]) -> tuple[dict[str, Any], Resolver[Any]]:
    """Follow `$ref`s, keeping sibling keywords such as `default` and `description`."""
    merged: dict[str, Any] = dict(schema) if isinstance(schema, dict) else {}
    for _ in range(_MAX_REF_HOPS):
        ref = merged.pop("$ref", None)
        if not isinstance(ref, str):
            return merged, resolver
        try:
            resolved = resolver.lookup(ref)
        except Unresolvable:
            raise ContractError(
                f"config schema: $ref {ref!r} points to nothing",
                hint="run `kfp-templates validate` on the template to see the contract findings",
            ) from None
        resolver = resolved.resolver
        target = resolved.contents if isinstance(resolved.contents, dict) else {}
        merged = {**target, **merged}
    raise ContractError(
        "config schema: $refs refer to each other in a loop", hint="break the loop of $refs"
    )


def _entries(
    schema: dict[str, Any], resolver: Resolver[Any], path: tuple[str, ...]
) -> Iterator[ConfigEntry]:
    properties = schema.get("properties", {})
    for key, raw in properties.items() if isinstance(properties, dict) else ():
        child, child_resolver = _resolve(raw, resolver)
        if "default" in child:
            yield _entry(key, child, child_resolver, (*path, key))


def _entry(
    key: str, schema: dict[str, Any], resolver: Resolver[Any], path: tuple[str, ...]
) -> ConfigEntry:
    description = str(schema.get("description", ""))
    default = schema["default"]
    if not isinstance(default, dict):
        return ConfigEntry(key, path, default, None, description)
    nested = {entry.key: entry for entry in _entries(schema, resolver, path)}
    for extra_key, extra_value in default.items():  # explicit defaults win over nested ones
        nested[str(extra_key)] = ConfigEntry(str(extra_key), (*path, str(extra_key)), extra_value)
    if not nested:
        return ConfigEntry(key, path, {}, None, description)
    return ConfigEntry(key, path, None, tuple(nested.values()), description)


def render_config(contract: Contract, *, jinja: bool = False) -> str:
    """The default config as commented YAML; with `jinja`, answered settings become variables."""
    header = (
        f"# Settings for the {contract.name} template pipeline "
        f"(schema: the contract's config section).\n"
        "# `kfp-templates validate` checks this file. Values are the producer's defaults"
        + (
            ";\n# the GCP, image and run settings come from your copier answers.\n"
            if jinja
            else ".\n"
        )
    )
    entries = default_entries(contract)
    blocks = ["\n".join(_lines(entry, 0, jinja=jinja)) for entry in entries]
    body = "\n\n".join(blocks) if blocks else "{}"
    return header + "\n" + body + "\n"


def _lines(entry: ConfigEntry, depth: int, *, jinja: bool) -> Iterator[str]:
    pad = "  " * depth
    for line in textwrap.wrap(entry.description, _COMMENT_WIDTH - len(pad)):
        yield _literal(f"{pad}# {line}", jinja=jinja)
    key = _literal(f"{pad}{scalar(entry.key)}:", jinja=jinja)
    if entry.children is None:
        yield f"{key} {_value(entry, jinja=jinja)}"
        return
    yield key
    for child in entry.children:
        yield from _lines(child, depth + 1, jinja=jinja)


def _value(entry: ConfigEntry, *, jinja: bool) -> str:
    variable = ANSWERED_SETTINGS.get(entry.path)
    if jinja and variable is not None:
        return "{{ " + variable + " | to_json }}"
    return _literal(scalar(entry.value), jinja=jinja)


def _literal(text: str, *, jinja: bool) -> str:
    """`text` protected from Jinja when it holds a Jinja delimiter and Jinja will read it."""
    if jinja and any(mark in text for mark in ("{{", "{%", "{#")):
        return "{% raw %}" + text + "{% endraw %}"
    return text


def scalar(value: Any) -> str:
    """`value` as one line of YAML flow syntax, quoted where YAML would misread it."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10**6, allow_unicode=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()
