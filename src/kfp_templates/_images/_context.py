"""Assemble the build context in `.kfp-build/context/` and derive the content tag from it.

The context holds exactly what the image is made of (Dockerfile, lock, wheels, tool wheel,
template, user code), so hashing it hashes every input of the build. Files get a fixed mtime:
builders record mtimes in layers, and a fresh checkout must give the same layers as an old one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from kfp_templates._images._atomic import replace_dir, staging_dir
from kfp_templates._images._dockerfile import DEPS_DIR, TEMPLATE_DIR, TOOL_DIR, USER_DIR
from kfp_templates._images._hashing import tree_files, tree_sha256
from kfp_templates._records import record

CONTEXT_NAME = "context"
DOCKERFILE_NAME = "Dockerfile"
_FIXED_MTIME = 315532800  # 1980-01-01, the earliest time zip (and so wheels) can record
_TAG_DIGITS = 24


@record
class ContextSources:
    """Where the context's parts come from."""

    dockerfile: str
    lock_name: str
    lock_text: str
    wheels: tuple[Path, ...]
    tool_wheel: Path
    template_dir: Path
    user_dir: Path


def assemble_context(build_dir: Path, sources: ContextSources) -> Path:
    """Write the context beside its final place, then swap it in; returns its path."""
    destination = build_dir / CONTEXT_NAME
    with staging_dir(build_dir, CONTEXT_NAME) as staging:
        (staging / DOCKERFILE_NAME).write_text(sources.dockerfile, encoding="utf-8")
        _write_deps(staging / DEPS_DIR, sources)
        (staging / TOOL_DIR).mkdir()
        shutil.copyfile(sources.tool_wheel, staging / TOOL_DIR / sources.tool_wheel.name)
        _copy_tree(sources.template_dir, staging / TEMPLATE_DIR, sources.template_dir)
        # user/ sits in the project root, where its links may lead (config files, data)
        _copy_tree(sources.user_dir, staging / USER_DIR, sources.user_dir.parent)
        _fix_mtimes(staging)
        replace_dir(staging, destination)
    return destination


def content_tag(context: Path, identity: str) -> str:
    """`content-<hex>`: a tag that changes exactly when the image's inputs do.

    `identity` adds what is not a file (template name and version), so two templates with the
    same files still get different tags.
    """
    digest = tree_sha256(context, extra=[identity])
    return f"content-{digest[:_TAG_DIGITS]}"


def contract_sha256(contract_path: Path) -> str:
    """`sha256:<hex>` of the contract file, for the image's labels."""
    return "sha256:" + hashlib.sha256(contract_path.read_bytes()).hexdigest()


def _write_deps(deps: Path, sources: ContextSources) -> None:
    deps.mkdir()
    (deps / sources.lock_name).write_text(sources.lock_text, encoding="utf-8")
    for wheel in sources.wheels:
        _link_or_copy(wheel, deps / wheel.name)


def _copy_tree(source: Path, destination: Path, boundary: Path) -> None:
    """Copy the files `tree_files` selects, resolving symlinks that stay inside `boundary`."""
    destination.mkdir(parents=True)
    for path in tree_files(source, boundary):
        target = destination / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _link_or_copy(source: Path, destination: Path) -> None:
    """Hard-link cached wheels (cheap); copy when the cache is on another file system."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copyfile(source, destination)


def _fix_mtimes(root: Path) -> None:
    for directory, _dirs, files in os.walk(root):
        for name in files:
            os.utime(Path(directory) / name, (_FIXED_MTIME, _FIXED_MTIME))
        os.utime(directory, (_FIXED_MTIME, _FIXED_MTIME))
