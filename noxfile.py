"""Developer sessions for kfp-templates itself (consumer projects get their own noxfile)."""

from __future__ import annotations

import nox

nox.needs_version = ">=2024.10.9"
nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.default_venv_backend = "venv"


def _install(session: nox.Session, lock: str = "requirements/dev.txt") -> None:
    """The committed lock, then the project: the pins dev.py and CI install (`dev.py lock`)."""
    session.install("--require-hashes", "-r", lock)
    session.install("--no-deps", "-e", ".")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    _install(session)
    # No posargs: `dev.py test ARGS` hands ARGS to pytest, and every session sees them.
    session.run("ruff", "check", "src", "tests", "bench", "noxfile.py", "dev.py")
    session.run("ruff", "format", "--check", "src")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Mypy, strict, on the package."""
    _install(session)
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
    _install(session)
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Run every benchmark and print the figures (see bench/README.md)."""
    _install(session)
    session.run("python", "bench/run_all.py", *session.posargs)
