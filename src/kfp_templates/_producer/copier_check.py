"""Check that copier.yml and template/ offer exactly the templates under producer_templates/.

copier vendors a template into a consumer project through conditional symlinks in template/,
one per kind of entry (`template_pipeline`, `user`, ...) per template:
`template/{% if template == 'NAME' %}KIND{% endif %}` -> `../producer_templates/NAME/...`. Every
template must have one of each kind the others have, pointing at the same place in its own
directory, and the copier question `template` must offer each template as a choice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kfp_templates._findings import Finding, Location
from kfp_templates._producer.repo import (
    COPIER_FILE,
    PRODUCER_DIR,
    TEMPLATE_SUBDIR,
    VENDORED_NAME,
    TemplateDir,
)
from kfp_templates._records import record
from kfp_templates._rules import ver as rules

_LINK = re.compile(r"^\{% if template == '([a-z][a-z0-9_]*)' %\}(.+)\{% endif %\}$")


@record
class ConditionalLink:
    """One conditional symlink in template/: which template, which entry, where it points."""

    template: str
    kind: str
    target: str

    def target_for(self, name: str) -> str:
        """The same link's target for another template."""
        prefix = f"../{PRODUCER_DIR}/{self.template}"
        return f"../{PRODUCER_DIR}/{name}" + self.target.removeprefix(prefix)


def link_name(template: str, kind: str) -> str:
    """`{% if template == 'NAME' %}KIND{% endif %}`."""
    return f"{{% if template == '{template}' %}}{kind}{{% endif %}}"


def conditional_links(root: Path) -> list[ConditionalLink]:
    """Every conditional symlink in template/."""
    base = root / TEMPLATE_SUBDIR
    if not base.is_dir():
        return []
    found = []
    for entry in sorted(base.iterdir()):
        match = _LINK.match(entry.name)
        if match and entry.is_symlink():
            found.append(ConditionalLink(match[1], match[2], entry.readlink().as_posix()))
    return found


def wanted_links(root: Path, name: str) -> list[ConditionalLink]:
    """The links template `name` needs: one per kind the repository uses.

    A repository without any conditional link yet gets the two every template needs: the vendored
    template directory, and `user` pointing at the stubs (copied once into consumer projects).
    """
    kinds: dict[str, ConditionalLink] = {}
    for link in conditional_links(root):
        kinds.setdefault(link.kind, link)
    if not kinds:
        return [
            ConditionalLink(name, VENDORED_NAME, f"../{PRODUCER_DIR}/{name}"),
            ConditionalLink(name, "user", f"../{PRODUCER_DIR}/{name}/stubs/user"),
        ]
    wanted = [ConditionalLink(name, kind, link.target_for(name)) for kind, link in kinds.items()]
    if VENDORED_NAME not in kinds:
        wanted.insert(0, ConditionalLink(name, VENDORED_NAME, f"../{PRODUCER_DIR}/{name}"))
    return wanted


def check_links(root: Path, templates: list[TemplateDir]) -> Iterator[Finding]:
    """VER401 for every missing or misdirected conditional symlink."""
    present = {(link.template, link.kind): link for link in conditional_links(root)}
    for template in templates:
        for want in wanted_links(root, template.name):
            have = present.get((template.name, want.kind))
            name = f"{TEMPLATE_SUBDIR}/{link_name(template.name, want.kind)}"
            if have is None or have.target != want.target:
                what = "is missing" if have is None else f"points to {have.target}"
                yield Finding(
                    rules.TEMPLATE_SYMLINK,
                    f"{name} {what}",
                    Location(TEMPLATE_SUBDIR),
                    f'ln -sfn {want.target} "{name}"',
                )
    names = {template.name for template in templates}
    for (template_name, kind), _link in present.items():
        if template_name not in names:
            yield Finding(
                rules.TEMPLATE_SYMLINK,
                f"{link_name(template_name, kind)} points to a template that is gone",
                Location(TEMPLATE_SUBDIR),
                "delete the symlink",
            )


CHOICE_PLACEHOLDER = "(describe it here)"
"""What `new-template` writes into the copier choice's label, for the producer to replace."""


def copier_choices(root: Path) -> tuple[list[str], Any]:
    """The values the copier question `template` offers, and its default."""
    document = _load_copier(root)
    question = document.get("template") if isinstance(document, dict) else None
    if not isinstance(question, dict):
        return [], None
    choices = question.get("choices", [])
    values = list(choices.values()) if isinstance(choices, dict) else list(choices or [])
    return [str(value) for value in values], question.get("default")


def check_choices(root: Path, templates: list[TemplateDir]) -> Iterator[Finding]:
    """VER400 when copier.yml offers a template that is not there, or misses one that is."""
    if not (root / COPIER_FILE).is_file():
        yield Finding(
            rules.TEMPLATE_CHOICES,
            f"no {COPIER_FILE} at the repository root",
            Location(COPIER_FILE),
            "add copier.yml with a `template` question",
        )
        return
    offered, default = copier_choices(root)
    names = [template.name for template in templates]
    for name in names:
        if name not in offered:
            yield Finding(
                rules.TEMPLATE_CHOICES,
                f"template {name} is not a choice of the `template` question",
                Location(COPIER_FILE),
                f'add `"{name}: WHAT IT DOES": {name}` under template.choices',
            )
    for value in offered:
        if value not in names:
            yield Finding(
                rules.TEMPLATE_CHOICES,
                f"choice {value} has no {PRODUCER_DIR}/{value}/contract.yaml",
                Location(COPIER_FILE),
                "remove the choice or add the template",
            )
    if default is not None and str(default) not in names:
        yield Finding(
            rules.TEMPLATE_CHOICES,
            f"default template {default} is not a template",
            Location(COPIER_FILE),
            "set template.default to one of the choices",
        )


def placeholder_labels(root: Path) -> Iterator[Finding]:
    """VER400 for a choice still saying what `new-template` wrote: consumers would read it.

    `release` checks this, not `producer check`: a new template is checked long before its
    producer writes the words consumers choose it by.
    """
    document = _load_copier(root)
    question = document.get("template") if isinstance(document, dict) else None
    choices = question.get("choices") if isinstance(question, dict) else None
    for label, value in choices.items() if isinstance(choices, dict) else []:
        if CHOICE_PLACEHOLDER in str(label):
            yield Finding(
                rules.TEMPLATE_CHOICES,
                f"the choice of template {value} still reads {str(label)!r}",
                Location(COPIER_FILE),
                f"replace {CHOICE_PLACEHOLDER!r} with what the template does, for consumers",
            )


class _TagTolerantLoader(yaml.SafeLoader):
    """Safe loading that reads copier's `!include` and other tags as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TagTolerantLoader.add_multi_constructor("!", _any_tag)


def _load_copier(root: Path) -> Any:
    text = (root / COPIER_FILE).read_text(encoding="utf-8")
    merged: dict[str, Any] = {}
    try:  # copier merges the documents of a multi-document copier.yml
        for document in yaml.load_all(text, Loader=_TagTolerantLoader):
            merged.update(document if isinstance(document, dict) else {})
    except yaml.YAMLError:
        return {}
    return merged
