"""Writes are atomic and never go through a link out of the project (issue 15, point 6).

Each writer is tried with the three ways a link could lead a write out: the file itself a link to
an outside file, a dangling link naming an outside file, and a parent directory linked outside.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kfp_templates import _stubs
from kfp_templates._producer import scaffold
from kfp_templates._safe_paths import UnsafePathError, write_text_atomic

import reference_pages
from helpers import build_file_tree

COPIER_YML = "template:\n  type: str\n  choices:\n    - alpha\n"


def _stub_writer(root: Path) -> Path:
    _stubs.write_stubs([_stubs.StubFile("user/train.py", "def train(): ...\n")], root)
    return root / "user" / "train.py"


def _copier_choice(root: Path) -> Path:
    assert scaffold._add_choice(root, "beta")
    return root / "copier.yml"


def _reference_pages(root: Path) -> Path:
    reference_pages.write_pages(root)
    return root / "docs" / "reference" / "errors.md"


WRITERS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("stubs", _stub_writer, "user/train.py"),
    ("copier.yml", _copier_choice, "copier.yml"),
    ("reference docs", _reference_pages, "docs/reference/errors.md"),
]


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    outside = build_file_tree(tmp_path / "outside", {"victim.txt": "precious\n"})
    return tmp_path / "project", outside


@pytest.mark.parametrize(("writer", "relative"), [(w, r) for _, w, r in WRITERS],
                         ids=[name for name, _, _ in WRITERS])
def test_a_link_in_place_of_the_file_is_replaced_not_written_through(
    dirs: tuple[Path, Path], writer: Callable[[Path], Path], relative: str
) -> None:
    root, outside = dirs
    victim = outside / "victim.txt"
    if relative == "copier.yml":
        victim.write_text(COPIER_YML)
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(victim)
    before = victim.read_text()
    written = writer(root)
    assert victim.read_text() == before
    assert not written.is_symlink() and written.is_file()


@pytest.mark.parametrize(("writer", "relative"), [(w, r) for _, w, r in WRITERS[::2]],
                         ids=[name for name, _, _ in WRITERS[::2]])
def test_a_dangling_link_never_creates_its_outside_target(
    dirs: tuple[Path, Path], writer: Callable[[Path], Path], relative: str
) -> None:
    root, outside = dirs
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(outside / "created.txt")
    writer(root)
    assert not (outside / "created.txt").exists()


@pytest.mark.parametrize(("writer", "relative"), [(w, r) for _, w, r in WRITERS[::2]],
                         ids=[name for name, _, _ in WRITERS[::2]])
def test_a_parent_directory_linked_outside_is_refused(
    dirs: tuple[Path, Path], writer: Callable[[Path], Path], relative: str
) -> None:
    root, outside = dirs
    parent = root / Path(relative).parent
    parent.parent.mkdir(parents=True, exist_ok=True)
    parent.symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="outside"):
        writer(root)
    assert sorted(os.listdir(outside)) == ["victim.txt"]


def test_a_failed_write_keeps_the_old_content_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build_file_tree(tmp_path, {"a.txt": "old\n"}) / "a.txt"

    def refuse(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(path, "new\n", inside=tmp_path)
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["a.txt"]
