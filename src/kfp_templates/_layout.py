"""Where things are in a consumer project or a producer template directory.

A consumer project (made by `copier copy`) holds `template_pipeline/contract.yaml` (managed by
copier, never edited by hand), `config.yaml` and `user/`. A producer template directory holds
`contract.yaml` and a reference implementation under `reference/`. Both are validated the same
way; only the paths differ.
"""

from __future__ import annotations

from pathlib import Path

from kfp_templates._errors import UsageError
from kfp_templates._records import record

VENDORED_TEMPLATE_DIR = "template_pipeline"
CONTRACT_FILE = "contract.yaml"
REFERENCE_DIR = "reference"


@record
class ProjectLayout:
    """Paths the validators and runners work on.

    Attributes:
        root: Directory holding `user/` and the config file; finding paths are relative to it.
        contract_path: The contract file.
        template_dir: Directory of the template pipeline (contract, pipeline, components).
        is_producer_template: Whether `root` is a producer template's `reference/` directory.
    """

    root: Path
    contract_path: Path
    template_dir: Path
    is_producer_template: bool = False

    @property
    def user_dir(self) -> Path:
        """The consumer's code."""
        return self.root / "user"

    def display(self, path: Path) -> str:
        """`path` relative to the project root when inside it, for messages."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, RuntimeError, OSError):  # RuntimeError: a symlink loop (< 3.13)
            return str(path)


def find_layout(path: Path, contract: Path | None = None) -> ProjectLayout:
    """Recognise a consumer project or a producer template directory at `path`.

    Raises:
        UsageError: when `path` is neither, saying what was looked for.
    """
    try:
        path.stat()
    except (OSError, ValueError) as error:  # missing, name too long, NUL byte, no permission
        reason = "does not exist" if isinstance(error, FileNotFoundError) else "cannot be read"
        raise UsageError(f"{path} {reason}", hint="pass the project directory") from None
    if not path.is_dir():
        raise UsageError(f"{path} is not a directory", hint="pass the project directory")
    if contract is not None:
        return ProjectLayout(path, contract, contract.parent)
    vendored = path / VENDORED_TEMPLATE_DIR
    if (vendored / CONTRACT_FILE).is_file() or vendored.is_dir():
        return ProjectLayout(path, vendored / CONTRACT_FILE, vendored)
    if (path / CONTRACT_FILE).is_file():
        return ProjectLayout(path / REFERENCE_DIR, path / CONTRACT_FILE, path, True)
    raise UsageError(
        f"{path} is not a kfp-templates project: no {VENDORED_TEMPLATE_DIR}/{CONTRACT_FILE} "
        f"and no {CONTRACT_FILE}",
        hint="run inside a project made by `copier copy`, pass its path, or use --contract FILE",
    )
