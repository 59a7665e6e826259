#!/usr/bin/env python3
"""Regenerate the pages of the docs made from the code and the templates.

- the reference pages (contract, CLI, error catalogue, decision index);
- the template catalogue: `docs/catalogue/NAME.md` from each template's contract, changelog and
  compiled pipeline (`NAME.dot`; `docs/hooks/graph_svg.py` draws it as SVG at build time), and
  `docs/catalogue/index.md`;
- the pipeline graph section (Mermaid) of each `producer_templates/NAME/README.md`.

python docs/gen_reference.py          # write the pages that changed
python docs/gen_reference.py --check  # exit 1 when a committed page is stale (as the tests do)
"""

from __future__ import annotations

import sys
from pathlib import Path

from kfp_templates._graph.render import dot, mermaid
from kfp_templates._graph.source import graph_of_template
from kfp_templates._layout import find_layout
from kfp_templates._producer.catalogue import (
    TemplateSummary,
    readme_graph_section,
    render_list,
    render_page,
    summarise,
    with_graph_section,
)
from kfp_templates._producer.repo import template_dirs
from kfp_templates._safe_paths import write_text_atomic

from reference_pages import GENERATED, generated_pages  # docs/reference_pages.py, beside me

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = "docs/catalogue"


def catalogue_pages(root: Path) -> dict[str, str]:
    """Each template's page, Graphviz source and README; the catalogue's index.

    Raises:
        ContractError: when a template does not validate (its graph cannot be compiled).
    """
    pages: dict[str, str] = {}
    summaries: list[TemplateSummary] = []
    for template in template_dirs(root):
        summary = summarise(template)
        summaries.append(summary)
        if summary.contract is None:
            continue
        graph = graph_of_template(find_layout(template.path))
        name = template.name
        changelog = (template.path / "CHANGELOG.md").read_text(encoding="utf-8")
        page = render_page(
            summary.contract, picture=f"{name}.svg", source=f"{name}.dot", changelog=changelog
        )
        pages[f"{CATALOGUE}/{name}.md"] = f"{GENERATED}\n\n{page}"
        pages[f"{CATALOGUE}/{name}.dot"] = dot(graph)
        readme = (template.path / "README.md").read_text(encoding="utf-8")
        section = readme_graph_section(mermaid(graph))
        pages[f"{template.relative}/README.md"] = with_graph_section(readme, section)
    pages[f"{CATALOGUE}/index.md"] = _catalogue_index(summaries)
    return pages


def _catalogue_index(summaries: list[TemplateSummary]) -> str:
    """`templates list`'s table, each name linked to its page."""
    table = render_list(summaries)
    for summary in summaries:
        name = summary.template.name
        if summary.contract is not None:
            table = table.replace(f"\n| {name} |", f"\n| [{name}]({name}.md) |", 1)
    return "\n".join([GENERATED, "", "# Template catalogue", "", table, ""])


def all_pages(root: Path) -> dict[str, str]:
    """Every generated file: path relative to `root` -> text."""
    return {**generated_pages(root), **catalogue_pages(root)}


def main(argv: list[str]) -> int:
    """Write (or with --check, compare) every generated page."""
    if argv == ["--check"]:
        stale = [
            path
            for path, text in all_pages(ROOT).items()
            if not (ROOT / path).is_file() or (ROOT / path).read_text(encoding="utf-8") != text
        ]
        for path in stale:
            sys.stdout.write(f"stale: {path}\n")
        return 1 if stale else 0
    for relative, text in all_pages(ROOT).items():
        target = ROOT / relative
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            write_text_atomic(target, text, inside=ROOT)
            sys.stdout.write(f"wrote {relative}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
