"""The library API: validate a project from Python, as `kfp-templates validate` does.

`kfp_templates.validate_project` is this module's function, loaded on first use so that
`import kfp_templates` stays light (docs/library.md, decision 0059).
"""

from __future__ import annotations

import os
from pathlib import Path

from kfp_templates._findings import Report
from kfp_templates._layout import find_layout
from kfp_templates.validators import whole_project


def validate_project(
    path: str | os.PathLike[str], *, contract: str | os.PathLike[str] | None = None
) -> Report:
    """Check a project's `user/` code and config against its template's contract.

    Static, like the `validate` command: nothing of the project is imported or run, and neither
    kfp nor aiplatform is imported.

    Args:
        path: A consumer project (made by `copier copy`), or a producer template directory,
            whose `reference/` is then validated.
        contract: A contract file to use instead of the project's own.

    Returns:
        Every finding, in a stable order, with the exit code `validate` would return.

    Raises:
        UsageError: `path` is not a project (missing, not a directory, no contract found).
    """
    layout = find_layout(Path(path), None if contract is None else Path(contract))
    return Report(whole_project.validate_project(layout).findings)
