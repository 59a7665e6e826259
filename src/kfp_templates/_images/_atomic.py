"""Atomic file and directory replacement, so an interrupted build leaves no half-written output.

Everything `build` writes (the build context, the lock file, the build record) is first written
under a temporary name next to its destination and then renamed into place; a rename within one
directory is atomic on POSIX, so readers see either the old or the new version, never a mix.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kfp_templates._safe_paths import write_text_atomic

__all__ = ["replace_dir", "staging_dir", "write_text_atomic"]


@contextmanager
def staging_dir(parent: Path, name: str) -> Iterator[Path]:
    """A fresh temporary directory beside `parent/name`, removed unless it was moved into place."""
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def replace_dir(staging: Path, destination: Path) -> None:
    """Move `staging` to `destination`, replacing what was there.

    Two renames: an interruption between them leaves `destination` missing, which the next build
    simply recreates, but never a partly written directory under the final name.
    """
    retired = destination.with_name(f".{destination.name}.old-{os.getpid()}")
    if destination.exists():
        os.replace(destination, retired)
    os.replace(staging, destination)
    shutil.rmtree(retired, ignore_errors=True)
