"""Where things are in the kfp-templates repository (the producer's side of copier)."""

from __future__ import annotations

import re
from pathlib import Path

from kfp_templates._errors import UsageError
from kfp_templates._records import record

PRODUCER_DIR = "producer_templates"
CONTRACT_FILE = "contract.yaml"
TEMPLATE_SUBDIR = "template"
COPIER_FILE = "copier.yml"
VENDORED_NAME = "template_pipeline"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@record
class TemplateDir:
    """One producer template: its name (the directory name) and paths relative to the repo."""

    root: Path
    name: str

    @property
    def path(self) -> Path:
        """`producer_templates/NAME`."""
        return self.root / PRODUCER_DIR / self.name

    @property
    def contract_path(self) -> Path:
        """The template's contract."""
        return self.path / CONTRACT_FILE

    @property
    def relative(self) -> str:
        """`producer_templates/NAME`, the way git and messages name it."""
        return f"{PRODUCER_DIR}/{self.name}"

    @property
    def symlink_name(self) -> str:
        """The conditional entry in template/ that vendors this template into consumer projects."""
        return f"{{% if template == '{self.name}' %}}{VENDORED_NAME}{{% endif %}}"


def template_dirs(root: Path) -> list[TemplateDir]:
    """Every directory under producer_templates/ holding a contract, by name."""
    base = root / PRODUCER_DIR
    if not base.is_dir():
        raise UsageError(
            f"{root} has no {PRODUCER_DIR}/ directory",
            hint="run in the kfp-templates repository root or pass it as ROOT",
        )
    found = sorted(p.parent.name for p in base.glob(f"*/{CONTRACT_FILE}"))
    return [TemplateDir(root, name) for name in found]


def find_template(root: Path, name: str) -> TemplateDir:
    """The template called `name`, or a `UsageError` listing the ones there are."""
    templates = template_dirs(root)
    for template in templates:
        if template.name == name:
            return template
    known = ", ".join(t.name for t in templates) or "none"
    raise UsageError(
        f"no template named {name!r} in {root / PRODUCER_DIR}",
        hint=f"templates here: {known} (see `kfp-templates templates list`)",
    )
