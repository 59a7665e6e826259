"""Find what `copier update` leaves behind while still exiting 0: conflict markers, `.rej` files.

Every file under the project root is looked at, except tool and build directories (`.git`,
virtual environments, caches, build outputs). A file is read once, and only a file holding both
`<<<<<<<` and `>>>>>>>` is split into lines, so a thousand-module project costs one read per file.
A conflict needs an opening marker line followed by a closing one: a lone `=======` line (a
reStructuredText underline) or a `>>>>>>>` quote is not a conflict.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from kfp_templates._findings import Finding, Location
from kfp_templates._layout import ProjectLayout
from kfp_templates._rules import prj as rules
from kfp_templates.contract import Contract

MAX_SCAN_BYTES = 2 * 1024 * 1024
_BINARY_PROBE = 8192
_OPEN = b"<<<<<<<"
_CLOSE = b">>>>>>>"
_MARKER_LENGTH = 7
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".nox",
        ".tox",
        ".venv",
        "venv",
        "env",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
        ".eggs",
        "build",
        "dist",
        "site",
        "local_outputs",
    }
)


def check_leftovers(layout: ProjectLayout, contract: Contract) -> Iterator[Finding]:
    """PRJ findings for conflict markers and `.rej` files anywhere in the project."""
    root = str(layout.root)
    for path in _project_files(root):
        yield from _check_file(path, partial(_relative, path, root))
    config = layout.root / contract.config_path
    if not _is_inside(config, layout.root) and config.is_file():
        yield from _check_file(str(config), lambda: layout.display(config))


def _check_file(path: str, display: Callable[[], str]) -> Iterator[Finding]:
    """Findings for one file; `display` is computed only when there is one (it costs a syscall)."""
    if path.endswith(".rej"):
        yield _reject_finding(display())
        return
    data = _read_head(path)
    if _OPEN in data and _CLOSE in data:
        yield from conflict_findings(data, display())


def _project_files(root: str) -> Iterator[str]:
    """Regular files under `root`, not following symlinks, skipping tool and build directories."""
    pending = [root]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue  # unreadable directory: nothing copier could have written there either
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not _skipped(entry.name):
                        pending.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    yield entry.path


def _skipped(name: str) -> bool:
    return name in SKIPPED_DIRS or name.endswith(".egg-info")


def _read_head(path: str) -> bytes:
    """The file's bytes, or b"" when it is too large or unreadable (neither can be a leftover).

    `os.read` of the exact size avoids the large buffer a bounded `file.read(n)` allocates, which
    dominated the cost of scanning a thousand small modules.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return b""
    try:
        size = os.fstat(descriptor).st_size
        return b"" if size > MAX_SCAN_BYTES else os.read(descriptor, size)
    except OSError:
        return b""
    finally:
        os.close(descriptor)


def conflict_findings(data: bytes, display: str) -> Iterator[Finding]:
    """One finding per `<<<<<<<` ... `>>>>>>>` block in a file's bytes; binary files have none."""
    if _OPEN not in data or _CLOSE not in data or b"\0" in data[:_BINARY_PROBE]:
        return
    for first, last in _conflict_blocks(data.splitlines()):
        yield Finding(
            rules.CONFLICT_MARKERS,
            f"unresolved merge conflict (lines {first}-{last}) left by `copier update`",
            Location(display, first, 1),
            "keep the lines you want between the markers, then delete the `<<<<<<<`, `=======` "
            "and `>>>>>>>` lines",
        )


def _conflict_blocks(lines: list[bytes]) -> Iterator[tuple[int, int]]:
    """1-based (opening line, closing line) of each conflict block."""
    opened: int | None = None
    for number, line in enumerate(lines, start=1):
        if _is_marker(line, _OPEN):
            opened = number if opened is None else opened
        elif opened is not None and _is_marker(line, _CLOSE):
            yield opened, number
            opened = None


def _is_marker(line: bytes, marker: bytes) -> bool:
    """`<<<<<<<` or `>>>>>>>` alone or followed by a space (git writes a label there)."""
    if not line.startswith(marker):
        return False
    rest = line[_MARKER_LENGTH:]
    return not rest.strip() or rest[:1] in (b" ", b"\t")


def _reject_finding(display: str) -> Finding:
    original = display.removesuffix(".rej")
    return Finding(
        rules.REJECT_FILE,
        f"{display} holds changes `copier update` could not apply to {original}",
        Location(display),
        f"apply the hunks in {display} to {original} by hand, then delete {display}",
    )


def _relative(path: str, root: str) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _is_inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, RuntimeError, OSError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False
    return True
