"""What installed distributions provide, from their own metadata (`importlib.metadata`'s).

Nothing here imports the packages themselves. A project whose imports are all named like its
declared distributions never gets here; one that imports `sklearn` for `scikit-learn` has the
declared distributions' records read straight from their `.dist-info` folders, found as
importlib.metadata finds them (importing it would cost validate about 10 ms). Reading one record
costs milliseconds; scanning every installed distribution (`packages_distributions`) about half
a second, so that is left for naming the distribution a finding is about.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import stat
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from kfp_templates.validators._requirements import canonical_name


def is_installed(top: str) -> bool:
    """Whether the import system finds top-level module `top` here (located, not imported)."""
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def top_levels(distribution: str, among: str | None = None) -> frozenset[str]:
    """Top-level import names an installed distribution provides; empty when not installed.

    With `among`, only whether it provides that one name: `{among}` or empty. A record is then
    read in full only when a line of it begins with the name, which every path the name comes
    from does: most declared distributions are ruled out by one substring search.
    """
    try:
        folder = _plain_dist_info(distribution)
    except _NotPlain:
        return _only(_top_levels_by_importlib(distribution), among)
    if folder is None:
        return frozenset()
    return _only(_top_levels_from(lambda name: _read_text(folder / name), None, among), among)


def _only(names: frozenset[str], among: str | None) -> frozenset[str]:
    return names if among is None else names & {among}


def _top_levels_by_importlib(distribution: str) -> frozenset[str]:
    """The same answer through importlib.metadata, for what `_plain_dist_info` cannot walk."""
    from importlib import metadata  # noqa: PLC0415 - eggs, zips, custom finders

    try:
        found = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return frozenset()
    return _top_levels_from(found.read_text, found.files)


def _top_levels_from(
    read: Callable[[str], str | None], files: Iterable[object] | None, among: str | None = None
) -> frozenset[str]:
    """top_level.txt if the installer wrote one, else the names inferred from RECORD (none
    when `among` begins no line of an unquoted RECORD: every inferred name begins its line)."""
    declared = read("top_level.txt")
    if declared:
        return frozenset(line.strip() for line in declared.splitlines() if line.strip())
    record = read("RECORD")
    if record and among is not None and _begins_no_line(record, among):
        return frozenset()
    if record:
        return frozenset(_inferred(_record_paths(record)))
    return frozenset(_inferred(str(path) for path in files or ()))


def _begins_no_line(record: str, name: str) -> bool:
    """Whether no line of an unquoted record begins with `name` (a quoted one may hide it)."""
    return '"' not in record and not record.startswith(name) and f"\n{name}" not in record


def _record_paths(record: str) -> list[str]:
    """RECORD's first column, cut to what `_inferred` reads: `top/.` for a path in a folder.

    A RECORD lists every file (thousands for pandas); a csv row per file costs milliseconds, the
    distinct text before each line's first `/` is one set. A record with a quoted path (one that
    holds a comma or quote) or a path ending in `/` is read as csv, in full.
    """
    if '"' in record or "/," in record:
        import csv  # noqa: PLC0415 - rare: most records never need it

        return [row[0] for row in csv.reader(record.splitlines()) if row]
    heads = {line.partition("/")[0] for line in record.splitlines() if line}
    return [head.partition(",")[0] if "," in head else f"{head}/." for head in heads]


class _NotPlain(Exception):
    """The search for a distribution met something only importlib.metadata reads."""


def _plain_dist_info(distribution: str) -> Path | None:
    """The `.dist-info` folder `importlib.metadata.distribution` would pick (None: not
    installed), found without importing it.

    importlib.metadata costs about 10 ms to import (email, zipfile, socket) on a run that reads
    a few records. Its search, in the common case: sys.path in order, in each folder the first
    child (in listing order) whose name before the first `-` normalises to the distribution's.
    Anything else on the way (a zip, an `.egg`, an `.egg-info`, another finder that finds
    distributions) raises `_NotPlain`, and importlib.metadata answers; tests compare the two on
    every installed distribution.
    """
    if any(_finds_distributions(finder) for finder in sys.meta_path):
        raise _NotPlain(distribution)
    wanted = _normalised(distribution)
    for entry in sys.path:
        index = _metadata_index(entry or ".")
        if index is None:
            raise _NotPlain(entry)
        child = index.get(wanted)
        if child is not None:
            if child.lower().endswith(".egg-info"):
                raise _NotPlain(child)
            return Path(entry or ".", child)
    return None


def _finds_distributions(finder: object) -> bool:
    """A meta path finder other than the path finder that importlib.metadata would also ask."""
    plain = finder is importlib.machinery.PathFinder
    return not plain and getattr(finder, "find_distributions", None) is not None


def _metadata_index(folder: str) -> dict[str, str] | None:
    """A sys.path folder's metadata folders by normalised distribution name, {} where nothing
    is; None where importlib.metadata must look (a zip or other file, an `.egg`, a folder that
    cannot be listed). Cached per modification time, as importlib.metadata caches its listing,
    so a long-lived caller sees new installs."""
    try:
        status = os.stat(folder)
    except OSError:
        return {}
    if not stat.S_ISDIR(status.st_mode) or folder.lower().endswith(".egg"):
        return None
    return _indexed(folder, status.st_mtime_ns)


@lru_cache(maxsize=256)
def _indexed(folder: str, mtime_ns: int) -> dict[str, str] | None:
    """The first `.dist-info` or `.egg-info` child, in listing order, for each name: the one
    importlib.metadata's search picks (sys.path folders hold hundreds of names)."""
    try:
        children = os.listdir(folder)
    except OSError:
        return None
    index: dict[str, str] = {}
    for child in children:
        stem, _, suffix = child.lower().rpartition(".")
        if suffix in ("dist-info", "egg-info"):
            index.setdefault(_normalised(stem.partition("-")[0]), child)
    return index


def _normalised(name: str) -> str:
    """A distribution name as importlib.metadata compares it: PEP 503's, `_` for `-`."""
    return canonical_name(name).replace("-", "_")


def _read_text(path: Path) -> str | None:
    """A metadata file's text, None when absent or unreadable, as `Distribution.read_text`."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _inferred(paths: Iterable[str]) -> Iterable[str]:
    """Top-level names from a record's paths, as `importlib.metadata` infers them."""
    for path in paths:
        first, _, rest = path.partition("/")
        if first.endswith((".dist-info", ".data")) or first in ("..", "__pycache__"):
            continue
        if rest:
            yield first
        elif first.endswith(".py"):
            yield first.removesuffix(".py")


def required_closure(declared: Iterable[str]) -> frozenset[str]:
    """Distributions and everything they require, transitively, per installed metadata.

    An extra's requirements are left out (nothing says it is installed); other markers are
    read for this interpreter and platform, the closest to the image that is known here.
    """
    from importlib import metadata  # noqa: PLC0415 - only when a name is not matched

    from packaging.requirements import (  # noqa: PLC0415 - packaging imports logging, subprocess
        InvalidRequirement,
        Requirement,
    )

    seen = {canonical_name(name) for name in declared}
    todo = list(seen)
    while todo:
        try:
            requires = metadata.requires(todo.pop()) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue
            name = canonical_name(requirement.name)
            marker = requirement.marker
            if (marker is None or marker.evaluate({"extra": ""})) and name not in seen:
                seen.add(name)
                todo.append(name)
    return frozenset(seen)


@lru_cache(maxsize=1)
def providers_by_import() -> dict[str, tuple[str, ...]]:
    """Top-level import name -> canonical names of the installed distributions providing it."""
    from importlib import metadata  # noqa: PLC0415 - only for a finding

    return {
        top: tuple(sorted({canonical_name(d) for d in dists}))
        for top, dists in metadata.packages_distributions().items()
    }
