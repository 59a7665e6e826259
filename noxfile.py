"""Developer sessions for kfp-templates itself (consumer projects get their own noxfile)."""

from __future__ import annotations

import re
from pathlib import Path

import nox

nox.needs_version = ">=2024.10.9"
nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.default_venv_backend = "venv"


DEV_LOCK = "requirements/dev.txt"
# What the light sessions need from the dev lock: these and whatever the lock says they pull in.
LINT_TOOLS = ("ruff", "import-linter")
DOCS_TOOLS = ("mkdocs",)


def _install(session: nox.Session, lock: str = DEV_LOCK) -> None:
    """The committed lock, then the project: the pins dev.py and CI install (`dev.py lock`)."""
    session.install("--require-hashes", "-r", lock)
    session.install("--no-deps", "-e", ".")


def _install_subset(session: nox.Session, *tools: str) -> None:
    """Only `tools` and what they need, with the dev lock's pins and hashes, then the project.

    The closure comes from the lock's own `# via` lines, so no resolver runs and nothing
    unpinned is installed; kfp, aiplatform and scikit-learn stay out of lint's environment.
    """
    subset = Path(session.create_tmp()) / "subset.txt"
    subset.write_text(lock_subset(Path(DEV_LOCK).read_text(encoding="utf-8"), tools))
    session.install("--require-hashes", "--no-deps", "-r", str(subset))
    session.install("--no-deps", "-e", ".")


def _name(text: str) -> str:
    """A distribution name as the lock's `# via` lines compare it (PEP 503, no extras)."""
    bare = re.split(r"[\s\[(;=<>!~]", text.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def _lock_blocks(text: str) -> list[tuple[str, str, set[str]]]:
    """Each pinned requirement of a `uv pip compile` lock: (name, its lines, who pulls it in)."""
    blocks: list[tuple[str, list[str], set[str]]] = []
    in_via = False
    for line in text.splitlines():
        comment = line.strip().removeprefix("#").strip()
        if line and not line[0].isspace() and not line.startswith("#"):
            blocks.append((_name(line), [line], set()))
            in_via = False
        elif blocks and line.strip().startswith("#") and comment.startswith("via"):
            names = comment.removeprefix("via").strip()
            blocks[-1][2].update(_name(n) for n in names.split(",") if n.strip())
            in_via = not names
        elif blocks and in_via and line.strip().startswith("#") and comment:
            blocks[-1][2].add(_name(comment))
        elif blocks and line.strip().startswith("--hash"):
            blocks[-1][1].append(line)
    return [(name, "\n".join(lines), via) for name, lines, via in blocks]


def lock_subset(lock_text: str, tools: tuple[str, ...]) -> str:
    """The lock's entries for `tools` and everything they need, hashes kept."""
    blocks = _lock_blocks(lock_text)
    needed = {_name(tool) for tool in tools}
    grown = True
    while grown:
        before = len(needed)
        needed |= {name for name, _, via in blocks if via & needed}
        grown = len(needed) != before
    return "".join(block.rstrip("\\ \n") + "\n" for name, block, _ in blocks if name in needed)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check, and the import layers (lint-imports)."""
    _install_subset(session, *LINT_TOOLS)
    # No posargs: `dev.py test ARGS` hands ARGS to pytest, and every session sees them.
    session.run("ruff", "check", "src", "tests", "bench", "noxfile.py", "dev.py")
    session.run("ruff", "format", "--check", "src")
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Mypy, strict, on the package."""
    _install(session)  # the whole lock: mypy checks our calls against kfp's and aiplatform's types
    session.run("mypy")  # files and options in pyproject.toml; posargs are pytest's


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (unit, case trees, end to end); pass pytest options after --."""
    _install(session)
    session.run("pytest", *session.posargs)


@nox.session
def validate(session: nox.Session) -> None:
    """Producer validation of every template under producer_templates/."""
    _install(session)
    session.run("kfp-templates", "producer", "check", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """Scaffold a project from the bundled tabular template, validate it, run it locally."""
    _install(session, "requirements/demo.txt")
    session.run("python", "-m", "kfp_templates._demo", *session.posargs)


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Build the documentation; any warning fails (mkdocs --strict)."""
    _install_subset(session, *DOCS_TOOLS)
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Run every benchmark and print the figures (see bench/README.md)."""
    _install(session)
    session.run("python", "bench/run_all.py", *session.posargs)
