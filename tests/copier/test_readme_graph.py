"""The generated project's README carries its template's pipeline graph as a Mermaid block,
the one `kfp-templates graph` draws in the new project."""

from __future__ import annotations

from pathlib import Path

import pytest
from copier import run_copy
from e2e_helpers import REPO, TemplateRepo

from kfp_templates._cli.main import main
from kfp_templates._producer.catalogue import GRAPH_END, GRAPH_START

# custom_component's pipeline is built around the consumer's own component: the new project's
# stub takes no inputs, the reference implementation's does, so their graphs differ.
SAME_AS_REFERENCE = {"tabular_training": True, "batch_prediction": True, "custom_component": False}


@pytest.mark.slow
@pytest.mark.parametrize("template", sorted(SAME_AS_REFERENCE))
def test_project_readme_shows_the_template_graph(
    template_repo: TemplateRepo, tmp_path: Path, template: str
) -> None:
    project = tmp_path / "project"
    run_copy(
        str(template_repo.path),
        project,
        data={"template": template},
        defaults=True,
        quiet=True,
        vcs_ref=template_repo.v1,
    )
    readme = (project / "README.md").read_text(encoding="utf-8")
    source = (REPO / "producer_templates" / template / "README.md").read_text(encoding="utf-8")
    section = source.partition(GRAPH_START)[2].partition(GRAPH_END)[0].strip()
    assert section.startswith("```mermaid\nflowchart TD\n")
    assert f"## The pipeline\n\n{section}\n\n## Work on it" in readme
    assert GRAPH_START not in readme  # the generator's note is the producer's, not the consumer's
    drawn = project / "docs" / "pipeline.mmd"
    assert main(["graph", str(project), "-o", str(drawn)]) == 0
    own = drawn.read_text(encoding="utf-8")
    assert "calls user." in own
    assert (f"```mermaid\n{own}```" in section) is SAME_AS_REFERENCE[template]
