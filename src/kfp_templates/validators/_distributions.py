"""What installed distributions provide, from their own metadata (`importlib.metadata`).

Nothing here imports the packages themselves, and `importlib.metadata` is imported only when a
question is asked: a project whose imports are all named like its declared distributions never
gets here. Reading one distribution's record costs milliseconds; scanning every installed one
(`packages_distributions`) about half a second, so that is left for naming the distribution a
finding is about.
"""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Iterable
from functools import lru_cache

from kfp_templates.validators._requirements import canonical_name


def is_installed(top: str) -> bool:
    """Whether the import system finds top-level module `top` here (located, not imported)."""
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def top_levels(distribution: str) -> frozenset[str]:
    """Top-level import names an installed distribution provides; empty when not installed."""
    from importlib import metadata  # noqa: PLC0415 - only when a name is not matched

    try:
        found = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return frozenset()
    declared = found.read_text("top_level.txt")
    if declared:
        return frozenset(line.strip() for line in declared.splitlines() if line.strip())
    record = found.read_text("RECORD")  # its first column, without a Path object per file
    if record:
        return frozenset(_inferred(row[0] for row in csv.reader(record.splitlines()) if row))
    return frozenset(_inferred(str(path) for path in found.files or ()))


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
