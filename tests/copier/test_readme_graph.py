"""The generated project's README carries its template's pipeline graph as a Mermaid block."""

from __future__ import annotations

from pathlib import Path

import pytest
from copier import run_copy
from e2e_helpers import REPO, TemplateRepo

from kfp_templates._producer.catalogue import GRAPH_END, GRAPH_START

TEMPLATES = ["tabular_training", "batch_prediction", "custom_component"]


@pytest.mark.slow
@pytest.mark.parametrize("template", TEMPLATES)
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
