"""`new-template NAME`: scaffold a template that passes `producer check` as generated.

Files are written into a scratch directory next to the target and renamed into place, so a
failure never leaves half a template behind. Then the stubs are generated from the new contract,
the conditional symlinks are added to template/, and the choice to copier.yml.
"""

from __future__ import annotations

import keyword
import os
import re
import shutil
from pathlib import Path

from kfp_templates import _stubs
from kfp_templates._errors import ContractError, UsageError
from kfp_templates._producer import copier_check, scaffold_files
from kfp_templates._producer.repo import COPIER_FILE, NAME_PATTERN, TemplateDir
from kfp_templates._records import record
from kfp_templates._safe_paths import write_text_atomic
from kfp_templates.contract import load_contract

_CHOICES = re.compile(r"^(?P<indent>\s+)choices:\s*$")


@record
class Scaffolded:
    """What `new-template` made, and what it could not do (for the command to print)."""

    template: TemplateDir
    written: tuple[str, ...]
    notes: tuple[str, ...] = ()


def check_name(name: str) -> None:
    """Refuse names that cannot be a directory, a copier choice and a Python identifier."""
    if not NAME_PATTERN.match(name) or keyword.iskeyword(name):
        raise UsageError(
            f"{name!r} is not a valid template name",
            hint="use lower case letters, digits and _, starting with a letter (such as "
            "`churn_scoring`), and not a Python keyword",
        )


def new_template(root: Path, name: str) -> Scaffolded:
    """Create producer_templates/NAME with everything `producer check` asks for."""
    check_name(name)
    template = TemplateDir(root, name)
    if template.path.exists() or template.path.is_symlink():
        raise UsageError(
            f"{template.relative} already exists; nothing was written",
            hint="choose another name, or delete the directory first",
        )
    _write_tree(template)
    written = [f"{template.relative}/{relative}" for relative, _ in scaffold_files.FILES]
    written += _write_stubs(template)
    written += _link(root, name)
    notes = (
        []
        if _add_choice(root, name)
        else [f"add the choice `{name}` to the `template` question of {COPIER_FILE} by hand"]
    )
    return Scaffolded(template, tuple(written), tuple(notes))


def _write_tree(template: TemplateDir) -> None:
    scratch = template.path.with_name(f".{template.name}.new")
    shutil.rmtree(scratch, ignore_errors=True)
    for relative, text in scaffold_files.FILES:
        path = scratch / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(text, template.name), encoding="utf-8")
    os.replace(scratch, template.path)


def _fill(text: str, name: str) -> str:
    return text.replace("__NAME__", name).replace("__DASHED__", name.replace("_", "-"))


def _write_stubs(template: TemplateDir) -> list[str]:
    contract, findings = load_contract(template.contract_path, str(template.contract_path))
    if contract is None:  # the scaffold's own contract is broken: a bug, said plainly
        raise ContractError(
            f"the scaffolded contract fails: {findings[0].message}",
            hint="report this to the kfp-templates maintainers",
        )
    paths = _stubs.write_stubs(_stubs.render_stubs(contract), template.path / "stubs")
    return [path.relative_to(template.root).as_posix() for path in paths]


def _link(root: Path, name: str) -> list[str]:
    base = root / "template"
    base.mkdir(exist_ok=True)
    made = []
    for link in copier_check.wanted_links(root, name):
        path = base / copier_check.link_name(name, link.kind)
        if not path.is_symlink():
            path.symlink_to(link.target)
            made.append(f"template/{path.name}")
    return made


def _add_choice(root: Path, name: str) -> bool:
    """Add `name` to the choices of copier's `template` question; False when it cannot."""
    path = root / COPIER_FILE
    if not path.is_file():
        return False
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    where = _choices_end(lines)
    if where is None:
        return False
    index, indent, is_list = where
    label = f"{name}: a one-step template {copier_check.CHOICE_PLACEHOLDER}"
    entry = f"- {name}" if is_list else f'"{label}": {name}'
    lines.insert(index, f"{indent}{entry}\n")
    write_text_atomic(path, "".join(lines), inside=root)
    return True


def _choices_end(lines: list[str]) -> tuple[int, str, bool] | None:
    """Where the `template.choices` block ends, its entries' indent, and whether it is a list."""
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "template:"), None)
    if start is None:
        return None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line.strip() and not line[0].isspace():
            return None  # the question ended without a choices block
        match = _CHOICES.match(line)
        if match:
            return _entries_end(lines, index, len(match["indent"]))
    return None


def _entries_end(lines: list[str], header: int, depth: int) -> tuple[int, str, bool] | None:
    end, indent, is_list = header + 1, "", False
    for index in range(header + 1, len(lines)):
        line = lines[index]
        width = len(line) - len(line.lstrip())
        if line.strip() and width <= depth:
            break
        if line.strip() and not line.lstrip().startswith("#"):
            end, indent, is_list = index + 1, line[:width], line.lstrip().startswith("- ")
    return (end, indent, is_list) if indent else (header + 1, " " * (depth + 2), False)
