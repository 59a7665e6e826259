"""The template catalogue: one line per template, and one template's contract as tables.

Consumers choose a template from this before `copier copy`, so it reads the contract only (no
kfp import) and renders Markdown tables that are readable in a terminal and paste into docs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from referencing import Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from kfp_templates._findings import Finding
from kfp_templates._producer.repo import TemplateDir
from kfp_templates._records import field, record
from kfp_templates._stubs.config import scalar
from kfp_templates.contract import (
    BUNDLED_PREFIX,
    Contract,
    FunctionSpec,
    bundled_registry,
    load_contract,
    render_signature,
)

_ROOT_ID = "urn:kfp-templates:catalogue-config"
_MAX_DEPTH = 6


@record
class TemplateSummary:
    """One catalogue line: a template and its contract, or the findings that broke it."""

    template: TemplateDir
    contract: Contract | None
    findings: tuple[Finding, ...] = ()


@record
class ConfigRow:
    """One config key as shown in the catalogue."""

    name: str
    type: str
    default: str
    description: str
    required: bool = False
    # the default as data, for `--format json`; `default` is its text (empty when there is none)
    default_value: Any = None
    has_default: bool = False


def summarise(template: TemplateDir) -> TemplateSummary:
    """Load the template's contract for the catalogue."""
    contract, findings = load_contract(template.contract_path, template.relative + "/contract.yaml")
    return TemplateSummary(template, contract, tuple(findings))


def render_list(summaries: list[TemplateSummary]) -> str:
    """A Markdown table: name, version, functions, first sentence of the description."""
    lines = ["| template | version | functions | description |", "|---|---|---|---|"]
    for summary in summaries:
        contract = summary.contract
        if contract is None:
            lines.append(
                f"| {summary.template.name} | broken | | {len(summary.findings)} "
                "contract finding(s): run `kfp-templates producer check` |"
            )
            continue
        functions = ", ".join(f.qualified_name for f in contract.functions)
        lines.append(
            f"| {contract.name} | {contract.version} | {_cell(functions)} | "
            f"{_cell(_first_sentence(contract.description))} |"
        )
    return "\n".join(lines)


def render_show(contract: Contract) -> str:
    """The contract as Markdown: header, functions table, config parameters table."""
    parts = [
        f"# {contract.name} {contract.version}",
        "",
        contract.description.strip(),
        "",
        "## Functions you write in user/",
        "",
        "| function | signature | doc |",
        "|---|---|---|",
    ]
    parts.extend(
        f"| {f.qualified_name} | `{_cell(signature(f))}` | {_cell(_first_line(f.doc))} |"
        for f in contract.functions
    )
    parts += [
        "",
        f"## Config ({contract.config_path})",
        "",
        "| key | type | default | description |",
        "|---|---|---|---|",
    ]
    parts.extend(
        f"| {row.name} | {_cell(row.type)} | {_cell(row.default)} | {_cell(row.description)} |"
        for row in config_rows(contract.config_schema)
    )
    return "\n".join(parts)


def signature(function: FunctionSpec) -> str:
    """The stub's `def` line, as `async def` where the contract allows async."""
    return render_signature(function, is_async=function.allow_async)


def config_rows(schema: dict[str, Any]) -> list[ConfigRow]:
    """Config keys with dotted names, following `$ref`s into `$defs` and the bundled schemas.

    A bundled definition used more than once (such as `task_options` for every step) is
    expanded the first time only; later keys point back to that one.
    """
    resource = Resource.from_contents(schema, default_specification=DRAFT202012)
    resolver = bundled_registry().with_resource(_ROOT_ID, resource).resolver(_ROOT_ID)
    return list(_Walk().rows(schema, resolver, "", 0))


@record
class _Walk:
    """One walk over a config schema; remembers where each bundled definition was expanded."""

    expanded: dict[str, str] = field(default_factory=dict)

    def rows(
        self, schema: dict[str, Any], resolver: Any, prefix: str, depth: int
    ) -> Iterator[ConfigRow]:
        """Rows for the properties of `schema`, nested objects flattened with dotted names."""
        for key, value in schema.get("properties", {}).items():
            name = f"{prefix}{key}"
            node, inner = _resolve(resolver, value)
            ref = _bundled_ref(value)
            first = self.expanded.get(ref) if ref else None
            if first is None and "properties" in node and depth < _MAX_DEPTH:
                if ref:
                    self.expanded[ref] = name
                yield from self.rows(node, inner, f"{name}.", depth + 1)
                continue
            kind = f"{ref.rsplit('/', 1)[-1]}, as {first}.*" if first else _type_text(node)
            required = key in schema.get("required", ())
            found = _default(value, node)
            default = f"`{scalar(found[0])}`" if found else ("(required)" if required else "")
            description = str(value.get("description") or node.get("description", ""))
            yield ConfigRow(
                name,
                kind,
                default,
                _first_line(description),
                required=required,
                default_value=found[0] if found else None,
                has_default=found is not None,
            )


def _bundled_ref(value: Any) -> str:
    ref = value.get("$ref", "") if isinstance(value, dict) else ""
    return ref if isinstance(ref, str) and ref.startswith(BUNDLED_PREFIX) else ""


def _resolve(resolver: Any, value: Any) -> tuple[dict[str, Any], Any]:
    """`value` with `$ref`s followed, and the resolver for refs inside the target document."""
    for _ in range(_MAX_DEPTH):
        if not isinstance(value, dict) or "$ref" not in value:
            break
        try:
            resolved = resolver.lookup(value["$ref"])
        except Unresolvable:
            break
        resolver = resolved.resolver
        value = {**resolved.contents, **{k: v for k, v in value.items() if k != "$ref"}}
    return (value if isinstance(value, dict) else {}), resolver


def _type_text(node: dict[str, Any]) -> str:
    if "enum" in node:
        return " | ".join(scalar(v) for v in node["enum"])
    declared = node.get("type", "any")
    return " | ".join(declared) if isinstance(declared, list) else str(declared)


def _default(value: Any, node: dict[str, Any]) -> tuple[Any] | None:
    """The schema's default as a one-tuple (a default may be null), or None when it has none."""
    for source in (value, node):
        if isinstance(source, dict) and "default" in source:
            return (source["default"],)
    return None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _first_sentence(text: str) -> str:
    line = " ".join(text.split())
    head, dot, _ = line.partition(". ")
    return head + ("." if dot else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


GRAPH_START = "<!-- pipeline graph: generated by `python docs/gen_reference.py`; do not edit -->"
GRAPH_END = "<!-- end of pipeline graph -->"
GRAPH_CAPTION = (
    "Drawn by `kfp-templates graph` from the compiled pipeline of the reference implementation "
    "and config: solid arrows are artifacts, dotted ones parameters; shaded steps call the "
    "functions you write in `user/`. Run `kfp-templates graph` in your project for yours."
)


def render_page(contract: Contract, *, picture: str, source: str, changelog: str) -> str:
    """One template's catalogue page: description, pipeline picture, tables, changelog.

    `picture` is the SVG's file name (drawn at docs build time), `source` its Graphviz file.
    """
    head, _, tables = render_show(contract).partition("\n## ")
    parts = [
        head.rstrip(),
        "",
        "## Pipeline",
        "",
        f"![The {contract.name} pipeline]({picture})",
        "",
        f"{GRAPH_CAPTION} ([Graphviz source]({source}))",
        "",
        "## " + tables,
        "",
        "## Changelog",
        "",
        *_demoted(changelog),
    ]
    return "\n".join(parts).rstrip() + "\n"


def _demoted(changelog: str) -> list[str]:
    """The changelog under a `## Changelog` heading: its title dropped, its headings one deeper."""
    lines = changelog.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return [f"#{line}" if line.startswith("#") else line for line in lines]


def readme_graph_section(mermaid_text: str) -> str:
    """The README's generated section: a Mermaid block (GitHub draws it) and what it shows."""
    return "\n".join(
        [GRAPH_START, "```mermaid", mermaid_text.rstrip(), "```", "", GRAPH_CAPTION, GRAPH_END]
    )


def with_graph_section(readme: str, section: str) -> str:
    """`readme` with its generated section replaced by `section` (appended when it has none)."""
    before, start, rest = readme.partition(GRAPH_START)
    if not start:
        return readme.rstrip() + "\n\n## Pipeline\n\n" + section + "\n"
    _, end, after = rest.partition(GRAPH_END)
    return before + section + (after if end else "\n")
