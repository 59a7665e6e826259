"""Test helpers shared by many test modules."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

CASES = Path(__file__).parent / "cases"
DELETE = "<delete>"


def build_file_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root`; `<delete>` removes a path."""
    for relative, content in files.items():
        path = root / relative
        if content == DELETE:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def materialise_case(case_dir: Path, target: Path) -> Path:
    """Copy the base project, then overlay the case's files; `*.delete` files remove paths.

    A case directory holds only what differs from `tests/cases/base/` plus `expected.yaml`.
    A file named `X.delete` deletes `X` from the base copy.
    """
    shutil.copytree(CASES / "base", target)
    for source in sorted(case_dir.rglob("*")):
        relative = source.relative_to(case_dir)
        if source.is_dir() or relative.as_posix() == "expected.yaml":
            continue
        if source.name.endswith(".delete"):
            doomed = target / relative.with_name(source.name.removesuffix(".delete"))
            shutil.rmtree(doomed) if doomed.is_dir() else doomed.unlink(missing_ok=True)
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    return target
