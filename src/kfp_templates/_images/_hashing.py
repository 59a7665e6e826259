"""Which files of a directory go into an image, and content digests over them.

The same filter decides what is copied into the build context and what is hashed into the tag,
so a file that cannot change the image can never change the tag either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

_IGNORED_SUFFIXES = (".pyc", ".pyo")
_CHUNK = 1 << 20


def is_ignored(name: str) -> bool:
    """Whether a file or directory name is build noise: caches, bytecode, hidden files."""
    return name == "__pycache__" or name.startswith(".") or name.endswith(_IGNORED_SUFFIXES)


def tree_files(root: Path) -> list[Path]:
    """Files under `root` (following symlinks) that belong in an image, in a stable order."""
    found: list[Path] = []
    for path in sorted(root.iterdir(), key=lambda p: p.name):
        if is_ignored(path.name):
            continue
        if path.is_dir():
            found.extend(tree_files(path))
        elif path.is_file():
            found.append(path)
    return found


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks so wheels of any size are fine."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tree_sha256(root: Path, extra: Iterable[str] = ()) -> str:
    """Hex SHA-256 over relative paths and contents of `tree_files(root)`, plus `extra` strings.

    Paths are included so that renaming a file changes the digest; mtimes are not, so a fresh
    checkout of the same content gives the same digest.
    """
    digest = hashlib.sha256()
    for text in extra:
        digest.update(f"extra\0{text}\0".encode())
    for path in tree_files(root):
        relative = path.relative_to(root).as_posix()
        digest.update(f"file\0{relative}\0{file_sha256(path)}\0".encode())
    return digest.hexdigest()
