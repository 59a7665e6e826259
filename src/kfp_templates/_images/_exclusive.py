"""One build of a project at a time, so two builds started at once never trade files.

A build replaces its context directory, wheel cache, lock file and record under `.kfp-build/`;
a second build doing the same while the first's builder reads that context would build from
half-replaced files, or fail on a directory renamed away. An advisory `flock` on the project
directory itself serialises builds of one project across processes, without writing anything
(a build refused for bad input leaves the project as it was). The second build waits, then finds
the image built and pushed and says so. The kernel drops the lock when the holder exits, however
it exits, so a killed build never leaves the project locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def one_build_at_a_time(project_root: Path, progress: Callable[[str], None]) -> Iterator[None]:
    """Hold the project's build lock for the block; say so when another build holds it."""
    descriptor = os.open(project_root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress("another build of this project is running; waiting for it to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock
