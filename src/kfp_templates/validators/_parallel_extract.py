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

`start_ahead` starts every run in workers before the caller knows it will need them: `validate`
does so once the contract is parsed, from the raw document's module list, so the parse of a
large `user/` and the contract's checks (about as long, for 10,000 functions) share the cores.
`Ahead.take` hands over the entries only for exactly the modules it started with.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from typing import Any

    Entry = tuple[str, dict[str, Any] | None, tuple[Any, ...] | None]
    Extract = Callable[[Path, Sequence[tuple[str, Collection[str]]]], list[Entry]]
    Here = Callable[[Sequence[tuple[str, Collection[str]]]], list[Entry]]

MIN_MODULES = 200  # below this, starting a worker costs more than it saves


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
    here: Here,
) -> list[Entry] | None:
    """Entries of `wanted` in its order, the first run by `here` and the rest by workers
    running `extract`; None when it is not worth it or workers cannot start."""
    count = _useful_cores(wanted)
    if count < 2:
        return None
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415 - large trees

    first, *rest = runs(wanted, count)
    pool = _fork_pool(len(rest))
    if pool is None:
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


def _useful_cores(items: Sequence[Any]) -> int:
    """Cores worth parsing `items` on: 1 (serial) for a small tree or where `cores` says so."""
    if len(items) < MIN_MODULES:
        return 1
    return min(cores(), len(items) // (MIN_MODULES // 2))


def _fork_pool(workers: int) -> ProcessPoolExecutor | None:
    """`workers` forked worker processes, or None where they cannot be had."""
    import multiprocessing  # noqa: PLC0415 - large trees only
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - likewise

    try:
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    except (OSError, ValueError):
        return None


class Ahead:
    """Runs of `items` queued to forked workers before they are asked for.

    The caller is busy meanwhile (checking the contract), so there is one worker fewer than
    cores, and more runs than workers: when the caller comes for the entries, it takes back
    the runs no worker has started, from the last one down, while the workers go on from the
    first one up, so no core waits for another.
    """

    def __init__(
        self,
        items: list[tuple[str, Collection[str]]],
        pool: ProcessPoolExecutor,
        work: list[tuple[Sequence[tuple[str, Collection[str]]], Future[list[Entry]]]],
    ) -> None:
        self.items = items
        self._pool = pool
        self._work = work

    def take(self, items: Sequence[tuple[str, Collection[str]]], here: Here) -> list[Entry] | None:
        """The entries of `items`, in order, when they are what was started (else None): the
        runs no worker has started extracted by `here`, the others the workers'."""
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415 - large trees

        try:
            if list(items) != self.items:
                return None
            taken = {
                index: here(run)
                for index, (run, job) in reversed(list(enumerate(self._work)))
                if job.cancel()
            }
            return [
                entry
                for index, (_, job) in enumerate(self._work)
                for entry in (taken[index] if index in taken else job.result())
            ]
        except (BrokenProcessPool, OSError):
            return None  # a worker died: the caller's own readers still work
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (a running run finishes first); safe to call twice."""
        self._pool.shutdown(wait=True, cancel_futures=True)


# Runs of about this many modules (40 ms of parsing): small enough for the caller to take back
# what the workers have not begun, large enough that queueing a run costs nothing in comparison.
RUN_MODULES = 25


def start_ahead(
    root: Path, items: list[tuple[str, Collection[str]]], extract: Extract
) -> Ahead | None:
    """Runs of `items` queued to forked workers now; None where `extract_in_parallel` would
    extract serially (a small tree, one core, another thread, no `fork`)."""
    workers = _useful_cores(items) - 1
    pool = _fork_pool(workers) if workers >= 1 else None
    if pool is None:
        return None
    try:
        queued = runs(items, max(workers, len(items) // RUN_MODULES))
        work = [(run, pool.submit(_gc_paused, extract, root, run)) for run in queued]
    except (OSError, ValueError):
        pool.shutdown(wait=True, cancel_futures=True)
        return None
    return Ahead(items, pool, work)


def _gc_paused(
    extract: Extract, root: Path, run: Sequence[tuple[str, Collection[str]]]
) -> list[Entry]:
    """A worker's run without the cyclic collector, as the caller's own extraction runs (the
    worker is forked before the caller pauses it; nothing parsed is cyclic)."""
    gc.disable()
    return extract(root, run)
