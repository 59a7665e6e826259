"""Reading and writing only inside the project: links are never followed out, writes are atomic.

A project is the consumer's (or producer's) directory tree. A symlink inside it may point
anywhere, dangling or in a loop; following one out of the project would put outside files (say
`~/.config/gcloud`) into an image, or write over files the user never meant the tool to touch.
So every walk asks `link_problem`, and every write goes through `write_text_atomic`.
"""

from __future__ import annotations

import os
from pathlib import Path

from kfp_templates._errors import ConsumerError


class UnsafePathError(ConsumerError):
    """A path the tool would have to follow out of the project, or a symlink loop."""


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every link resolved, lies under `root`; False for a link loop."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, RuntimeError, OSError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False
    return True


def link_problem(link: Path, boundary: Path) -> str | None:
    """Why the symlink `link` must not be followed, or None when it stays inside `boundary`."""
    try:
        target = link.resolve()
    except (RuntimeError, OSError):
        return "is a symlink loop"
    if not is_inside(target, boundary):
        return f"is a symlink to {os.readlink(link)}, outside the project"
    if target.is_dir() and is_inside(link.parent, target):
        return f"is a symlink loop: it points to {os.readlink(link)}, a directory holding it"
    return None


def refuse_link_out(link: Path, boundary: Path, display: str = "") -> None:
    """Raise `UnsafePathError` naming `link` when it leaves `boundary` or loops."""
    problem = link_problem(link, boundary)
    if problem is not None:
        raise UnsafePathError(
            f"{display or link} {problem}",
            hint="replace the link with a copy of the files it should provide, or delete it",
            location=display or str(link),
        )


def write_text_atomic(path: Path, text: str, *, inside: Path | None = None) -> None:
    """Replace `path` with `text` in one step; the old content survives any failure.

    The final rename replaces a symlink at `path` rather than writing through it. With `inside`,
    the directory written into must resolve under it, so no parent link leads the write out.
    """
    if inside is not None:
        _refuse_write_outside(path, inside)
    import tempfile  # noqa: PLC0415 - validate checks links here and writes nothing: 2 ms spared

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _refuse_write_outside(path: Path, inside: Path) -> None:
    try:
        escapes = not _resolved(path.parent).is_relative_to(_resolved(inside))
    except (RuntimeError, OSError):  # a symlink loop on the way
        escapes = True
    if escapes:
        raise UnsafePathError(
            f"refusing to write {path}: a symlink leads it outside {inside}",
            hint="replace the linked directory with a real one inside the project",
            location=str(path),
        )


def _resolved(path: Path) -> Path:
    """Where `path` will be once `mkdir(parents=True)` made its missing parts (real directories)."""
    existing, missing = path, []
    while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
        missing.append(existing.name)
        existing = existing.parent
    return existing.resolve(strict=True).joinpath(*reversed(missing))
