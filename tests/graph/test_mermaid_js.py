"""The README's Mermaid block as Mermaid itself draws it (GitHub renders README Mermaid with it).

Mermaid's JavaScript comes from the npm package `mermaid`, installed by .ci/run with
`npm install --prefix .cache/mermaid mermaid@11`; headless Chromium runs it on a local page.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from browser import dump_dom, screenshot
from pngcheck import read_png

from kfp_templates._graph.model import Edge, Group, PipelineGraph, Step
from kfp_templates._graph.render import mermaid
from kfp_templates._producer.catalogue import GRAPH_END, GRAPH_START
from kfp_templates._producer.repo import template_dirs

ROOT = Path(__file__).resolve().parents[2]
MERMAID_JS = ROOT / ".cache" / "mermaid" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<pre class="mermaid">{code}</pre>
<script src="{script}"></script>
<script>mermaid.initialize({{startOnLoad: false}}); mermaid.run();</script>
</body></html>
"""


def readme_mermaid(name: str) -> str:
    readme = (ROOT / "producer_templates" / name / "README.md").read_text(encoding="utf-8")
    section = readme.partition(GRAPH_START)[2].partition(GRAPH_END)[0]
    return section.partition("```mermaid\n")[2].partition("```")[0]


def page(tmp_path: Path, code: str) -> str:
    if not MERMAID_JS.is_file():
        pytest.skip(
            f"Mermaid is not installed: npm install --prefix {MERMAID_JS.parents[3]} mermaid@11"
        )
    path = tmp_path / "graph.html"
    path.write_text(
        PAGE.format(code=html.escape(code), script=MERMAID_JS.as_uri()), encoding="utf-8"
    )
    return path.as_uri()


@pytest.mark.parametrize("name", [t.name for t in template_dirs(ROOT)])
def test_mermaid_draws_each_readme_graph(tmp_path: Path, name: str) -> None:
    code = readme_mermaid(name)
    dom = dump_dom(page(tmp_path, code))
    assert 'aria-roledescription="flowchart-v2"' in dom, "Mermaid drew no flowchart"
    assert "Syntax error" not in dom
    for line in code.splitlines():
        if '["' in line and "subgraph" not in line:  # a step: its first label line is drawn
            label = line.partition('["')[2].partition("<br/>")[0].rstrip('"]')
            assert f">{label}<" in dom, f"step {label} not drawn"


def test_mermaid_draws_the_gate_and_its_condition(tmp_path: Path) -> None:
    url = page(tmp_path, readme_mermaid("tabular_training"))
    dom = dump_dom(url)
    assert "metric-reaches-threshold: if evaluate.Output &gt;= threshold" in dom
    shot = read_png(screenshot(url, tmp_path / "graph.png", (900, 1000)))
    assert shot.ink() > 5_000
    assert {(0xE8, 0xF0, 0xFE), (0xFF, 0xF4, 0xD6)} <= shot.colours()


AWKWARD = PipelineGraph(
    name="awkward",
    steps=(
        Step("end", "end", "container", None, ("user.a.b",)),
        Step("o-start", "o-start", "container", None),
        Step("x", "x", "importer", "g"),
        Step("class", 'say "{{ hi }}" <b>', "container", "g"),
    ),
    groups=(Group("g", "condition-1", "condition", "if a.Output < 3 & {% b %} | #1", None),),
    edges=(
        Edge("end", "o-start", "out|put", "artifact"),
        Edge("o-start", "x", "", "after"),
        Edge("x", "class", '"q"', "parameter"),
    ),
)


def test_mermaid_draws_names_and_text_that_are_mermaid_or_jinja_syntax(tmp_path: Path) -> None:
    code = mermaid(AWKWARD)
    assert "{{" not in code and "{%" not in code
    dom = dump_dom(page(tmp_path, code))
    assert 'aria-roledescription="flowchart-v2"' in dom, dom[-2000:]
    assert "Syntax error" not in dom
    for text in ("end", "o-start", "x (importer)", "calls user.a.b", "out|put"):
        assert f">{html.escape(text, quote=False)}<" in dom, text
    assert html.escape('say "{{ hi }}" <b>', quote=False) in dom
    assert html.escape("if a.Output < 3 & {% b %} | #1", quote=False) in dom
