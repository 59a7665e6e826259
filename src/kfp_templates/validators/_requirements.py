"""The consumer's declared dependencies: pip requirement lines, read without running pip.

`requirements.txt` at the project root holds what the consumer's `user/` code needs beyond the
template; the contract's `requirements` hold what the template needs. Only distribution names
matter here (versions, markers and URLs are the image builder's business).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

REQUIREMENTS_FILE = "requirements.txt"
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"#egg=(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")
# PEP 508: a requirement starts with its name; only the name matters here, and reading it
# this way keeps `packaging` (and the logging and subprocess it imports) off validate's path.
_NAME = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:[\[(;<>=!~@,]|$)"
)
_SEPARATORS = re.compile(r"[-_.]+")


def canonical_name(name: str) -> str:
    """A distribution name normalised as PEP 503 says (`Scikit_Learn` -> `scikit-learn`)."""
    return _SEPARATORS.sub("-", name).lower()


def is_option_line(line: str) -> bool:
    """A pip option (`-r`, `--index-url`, `-e`) rather than a requirement: `build` refuses it
    (the image would depend on more than this file), validate reports it (`PRJ103`)."""
    return line.startswith("-")


def declared_names(root: Path, contract_requirements: Iterable[str]) -> frozenset[str]:
    """Canonical distribution names from `root/requirements.txt` and from the contract."""
    return names_in(requirement_lines(root), contract_requirements)


def names_in(
    lines: Iterable[tuple[int, str]], contract_requirements: Iterable[str]
) -> frozenset[str]:
    """`declared_names` of lines already read (`requirement_lines`); option lines name none."""
    texts = [line for _, line in lines if not is_option_line(line)]
    return frozenset(name for line in [*texts, *contract_requirements] for name in _names(line))


def requirement_lines(root: Path, *, strict: bool = False) -> list[tuple[int, str]]:
    """The logical lines of `root/requirements.txt` with the number of the line each starts on.

    The one reader of the file: validate takes names from it, `build` the requirements (and
    refuses option lines such as `-r`, which would make the image depend on other files).
    Comments are dropped and `\\` continuations joined, as pip reads them. A link out of the
    project is never followed: no lines.

    Raises:
        UnicodeDecodeError: with `strict`, for a file that is not UTF-8 (validate reads it
            leniently: only names matter there).
    """
    path = root / REQUIREMENTS_FILE
    if not _inside(root, path) or not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8", errors="strict" if strict else "replace")
    except OSError:
        return []
    return list(_logical_lines(text))


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    pending, first = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        first = first or number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            yield first, line
        first = 0


def _names(line: str) -> Iterator[str]:
    found = _NAME.match(line)
    if found and "://" not in line.partition("@")[0]:
        yield canonical_name(found.group("name"))
        return
    egg = _EGG.search(line)  # `git+https://...#egg=name` and local paths with an egg name
    if egg:
        yield canonical_name(egg.group("name"))


def _inside(root: Path, path: Path) -> bool:
    """Whether `path` (links resolved) stays inside the project: links are never followed out."""
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False
    return True
