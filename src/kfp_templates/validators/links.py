"""Find symlinks that leave the project or loop, where the tool reads: user/, the template, config.

The tool never follows such a link (docs/security.md); validate says so up front, naming each
link, so `build` refusing one later is no surprise. Other links in the project (a data directory
on another disk, the virtual environment's python) are none of the tool's business.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from kfp_templates._findings import Finding, Location
from kfp_templates._layout import ProjectLayout
from kfp_templates._rules import prj as rules
from kfp_templates._safe_paths import link_problem
from kfp_templates.validators.leftovers import SKIPPED_DIRS


def check_links(layout: ProjectLayout) -> Iterator[Finding]:
    """PRJ102 for each link out of its tree (or looping) in user/ and the template.

    The config file's own link is checked where it is read (`config.load_config`), so that
    compile and run refuse it too.
    """
    trees = ((layout.user_dir, layout.root), (layout.template_dir, layout.template_dir))
    for tree, boundary in trees:
        for link in _links_under(tree):
            finding = link_finding(link, boundary, layout.root)
            if finding is not None:
                yield finding


def _links_under(root: Path) -> Iterator[Path]:
    """Every symlink under `root` (itself included), without following any."""
    if root.is_symlink():
        yield root
        return
    pending = [str(root)]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_symlink():
                    yield Path(entry.path)
                elif entry.is_dir(follow_symlinks=False) and entry.name not in SKIPPED_DIRS:
                    pending.append(entry.path)


def link_finding(link: Path, boundary: Path, root: Path) -> Finding | None:
    """PRJ102 when the symlink `link` leaves `boundary` or loops; paths shown from `root`."""
    problem = link_problem(link, boundary)
    if problem is None:
        return None
    shown = _display(link, root)
    return Finding(
        rules.LINK_OUT,
        f"{shown} {problem}; kfp-templates never follows it",
        Location(shown),
        "replace the link with a copy of the files it should provide, or delete it",
    )


def _display(link: Path, root: Path) -> str:
    """The link's own path (not its target's) relative to the project, else as given."""
    try:
        return Path(os.path.relpath(link, root)).as_posix()
    except ValueError:
        return str(link)
