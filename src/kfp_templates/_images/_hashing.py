"""Which files of a directory go into an image, and content digests over them.

The same filter decides what is copied into the build context and what is hashed into the tag,
so a file that cannot change the image can never change the tag either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from kfp_templates._safe_paths import UnsafePathError, refuse_link_out

_IGNORED_SUFFIXES = (".pyc", ".pyo")
_CHUNK = 1 << 20


def is_ignored(name: str) -> bool:
    """Whether a file or directory name is build noise: caches, bytecode, hidden files."""
    return name == "__pycache__" or name.startswith(".") or name.endswith(_IGNORED_SUFFIXES)


def tree_files(root: Path, boundary: Path | None = None) -> list[Path]:
    """Files under `root` that belong in an image, in a stable order.

    Symlinks are followed only while they stay inside `boundary` (default: `root`): a link out of
    the project would copy outside files, such as credentials, into the image. Such a link, or a
    loop, raises `UnsafePathError` naming it; a dangling link inside is skipped like a missing file.
    """
    inside = boundary or root
    if root.is_symlink():
        refuse_link_out(root, inside)
    found: list[Path] = []
    _collect(root, inside, frozenset({_identity(root)}), found)
    return found


def _collect(
    directory: Path, inside: Path, ancestors: frozenset[tuple[int, int]], found: list[Path]
) -> None:
    """Add the files under `directory`; `ancestors` are the directories being walked (loops)."""
    for path in sorted(directory.iterdir(), key=lambda p: p.name):
        if is_ignored(path.name):
            continue
        if path.is_symlink():
            refuse_link_out(path, inside)
        if path.is_dir():
            identity = _identity(path)
            if identity in ancestors:
                raise UnsafePathError(
                    f"{path} is a symlink loop: it leads back to a directory above it",
                    hint="delete the link, or point it at a directory that does not contain it",
                    location=str(path),
                )
            _collect(path, inside, ancestors | {identity}, found)
        elif path.is_file():
            found.append(path)


def _identity(directory: Path) -> tuple[int, int]:
    status = directory.stat()
    return status.st_dev, status.st_ino


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks so wheels of any size are fine."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tree_sha256(root: Path, extra: Iterable[str] = (), boundary: Path | None = None) -> str:
    """Hex SHA-256 over relative paths and contents of `tree_files(root)`, plus `extra` strings.

    `boundary` is where symlinks may lead (see `tree_files`).

    Paths are included so that renaming a file changes the digest; mtimes are not, so a fresh
    checkout of the same content gives the same digest.
    """
    digest = hashlib.sha256()
    for text in extra:
        digest.update(f"extra\0{text}\0".encode())
    for path in tree_files(root, boundary):
        relative = path.relative_to(root).as_posix()
        digest.update(f"file\0{relative}\0{file_sha256(path)}\0".encode())
    return digest.hexdigest()
