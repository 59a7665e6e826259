"""What goes into an image never comes through a link out of the project (issue 15, point 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfp_templates._images._context import ContextSources, assemble_context
from kfp_templates._images._hashing import tree_files, tree_sha256
from kfp_templates._safe_paths import UnsafePathError

from helpers import build_file_tree


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with user/ code, beside an outside directory holding a secret."""
    build_file_tree(tmp_path / "outside", {"adc.json": '{"secret": 1}'})
    return build_file_tree(
        tmp_path / "p",
        {"user/__init__.py": "", "user/train.py": "x = 1\n", "config.yaml": "{}\n"},
    )


def _link(project: Path, name: str, target: str) -> Path:
    link = project / "user" / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return link


@pytest.mark.parametrize(
    ("name", "target", "message"),
    [
        ("gcloud", "../../outside", "outside the project"),
        ("adc.json", "../../outside/adc.json", "outside the project"),
        ("gone.json", "../../outside/nothing.json", "outside the project"),  # dangling
        ("self", "self", "symlink loop"),
        ("up", "..", "symlink loop"),
        ("root", "/", "outside the project"),
    ],
)
def test_link_out_or_loop_is_refused_naming_it(
    project: Path, name: str, target: str, message: str
) -> None:
    link = _link(project, name, target)
    with pytest.raises(UnsafePathError, match=message) as caught:
        tree_files(project / "user", boundary=project)
    assert str(link) in caught.value.message


def test_links_that_loop_through_each_other_are_refused(project: Path) -> None:
    _link(project, "a/b", "../c")
    _link(project, "c/d", "../a")
    with pytest.raises(UnsafePathError, match="loop"):
        tree_files(project / "user", boundary=project)


def test_links_inside_the_project_are_followed(project: Path) -> None:
    _link(project, "settings.yaml", "../config.yaml")
    _link(project, "again", "../user/train.py")
    names = [path.name for path in tree_files(project / "user", boundary=project)]
    assert names == ["__init__.py", "again", "settings.yaml", "train.py"]


def test_sources_digest_refuses_a_link_out(project: Path) -> None:
    before = tree_sha256(project / "user", boundary=project)
    _link(project, "gcloud", "../../outside")
    with pytest.raises(UnsafePathError):
        tree_sha256(project / "user", boundary=project)
    (project / "user" / "gcloud").unlink()
    assert tree_sha256(project / "user", boundary=project) == before


def test_build_context_never_holds_a_file_from_outside(project: Path, tmp_path: Path) -> None:
    _link(project, "gcloud", "../../outside")
    wheel = build_file_tree(tmp_path / "w", {"kfp_templates-0-py3-none-any.whl": "w"})
    sources = ContextSources(
        "FROM scratch\n",
        "requirements.lock",
        "",
        (),
        wheel / "kfp_templates-0-py3-none-any.whl",
        build_file_tree(tmp_path / "template", {"contract.yaml": "{}\n"}),
        project / "user",
    )
    with pytest.raises(UnsafePathError, match="user/gcloud"):
        assemble_context(project / ".kfp-build", sources)
    copied = list((project / ".kfp-build").rglob("adc.json"))
    assert copied == []
