"""Interface extraction of many modules on every core, with the serial result, in its order.

Parsing is most of the time `validate` spends on a large `user/` (about 0.1 ms per function),
and each module parses independently: above `MIN_MODULES`, the wanted modules are cut into one
contiguous run per core; forked workers extract all runs but the first, which the calling
process extracts meanwhile in its own reader. Results are merged run by run, so the document
(and every finding's order) is the serial one. Each entry depends only on the files, so a module
a worker parses again to follow a re-export gives the entry the serial reader would.

Only where `fork` is the platform's own way of starting processes (Linux): workers then start
in milliseconds with the tool already imported, and nothing re-runs the entry point. Anywhere
else, or when a worker cannot start, extraction is serial. Nothing is written to disk.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

MIN_MODULES = 200  # below this, starting a worker costs more than it saves
Entry = tuple[str, dict[str, Any] | None, tuple[Any, ...] | None]
Extract = Callable[[Path, Sequence[tuple[str, Collection[str]]]], list[Entry]]


def cores() -> int:
    """Cores this process may run on; 1 where processes are not forked, or where another thread
    runs (a library caller's): a fork copies the locks other threads hold, never their release."""
    threading = sys.modules.get("threading")
    if not sys.platform.startswith("linux") or (threading and threading.active_count() > 1):
        return 1
    return len(os.sched_getaffinity(0))


def runs(items: Sequence[Any], count: int) -> list[Sequence[Any]]:
    """`items` cut into `count` contiguous runs of nearly equal length, in order."""
    size, extra = divmod(len(items), count)
    bounds = [i * size + min(i, extra) for i in range(count + 1)]
    return [items[bounds[i] : bounds[i + 1]] for i in range(count) if bounds[i] < bounds[i + 1]]


def extract_in_parallel(
    root: Path,
    wanted: Sequence[tuple[str, Collection[str]]],
    extract: Extract,
    here: Callable[[Sequence[tuple[str, Collection[str]]]], list[Entry]],
) -> list[Entry] | None:
    """Entries of `wanted` in its order, the first run by `here` and the rest by workers
    running `extract`; None when it is not worth it or workers cannot start."""
    count = min(cores(), len(wanted) // (MIN_MODULES // 2))
    if len(wanted) < MIN_MODULES or count < 2:
        return None
    import multiprocessing  # noqa: PLC0415 - large trees only
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - likewise
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415 - likewise

    first, *rest = runs(wanted, count)
    try:
        pool = ProcessPoolExecutor(len(rest), mp_context=multiprocessing.get_context("fork"))
    except (OSError, ValueError):
        return None
    try:
        futures = [pool.submit(extract, root, run) for run in rest]
        entries = here(first)
        for future in futures:
            entries.extend(future.result())
    except (BrokenProcessPool, OSError):
        return None  # a worker died (out of memory, killed): the serial reader still works
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return entries
