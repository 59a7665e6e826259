#!/usr/bin/env python3
"""Bootstrap for a fresh machine with only Python: make .venv, install from the lock, run nox.

    python3 dev.py demo         # scaffold a consumer project, validate it, run its pipeline locally
    python3 dev.py test         # lint, type-check and run the whole test suite
    python3 dev.py bench        # rerun every benchmark (bench/README.md has the figures)
    python3 dev.py lock         # refresh requirements/*.txt from pyproject.toml (newest releases)
    python3 dev.py test-latest  # the test sessions against the newest release of every dependency

The sessions run inside .venv (nox --no-venv --no-install), installed from a committed lock
(exact pins with hashes), so a new upstream release cannot change what a fresh machine tests:
requirements/demo.txt for `demo` (copier, kfp, the templates' libraries: a quick first run),
requirements/dev.txt for everything else (a superset, with the same pins). `test-latest` uses
a separate .venv-latest resolved from pyproject.toml's ranges instead, so drift shows there and
never on main. Extra arguments after the command name go to the session (for pytest, say).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
LOCKS = ROOT / "requirements"
BOOTSTRAP_LOCK = LOCKS / "bootstrap.txt"  # uv itself, pinned with hashes
DEV_LOCK = LOCKS / "dev.txt"
DEMO_LOCK = LOCKS / "demo.txt"  # compiled within dev.txt's pins: a subset of it
# command -> (nox sessions, the lock its environment needs)
SESSIONS = {
    "demo": (["demo"], DEMO_LOCK),
    "test": (["lint", "typecheck", "tests"], DEV_LOCK),
    "bench": (["bench"], DEV_LOCK),
    "test-latest": (["lint", "typecheck", "tests"], DEV_LOCK),
}
# `uv pip compile` arguments shared by every lock: one file for Linux, macOS and Windows and for
# every Python the package supports, each pin with the hashes of all its files.
COMPILE = [
    "pip",
    "compile",
    "--quiet",
    "--universal",
    "--python-version",
    "3.10",
    "--generate-hashes",
    "--no-header",
    "--annotation-style",
    "line",
]


def _python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(*argv: str | Path) -> None:
    subprocess.run([str(a) for a in argv], check=True, cwd=ROOT)


def _uv(env: Path) -> list[str]:
    """uv inside `env`, installed there from the bootstrap lock on first use."""
    uv = _python(env).parent / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        _run(
            _python(env),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--require-hashes",
            "--no-deps",
            "-r",
            BOOTSTRAP_LOCK,
        )
    return [str(uv)]


def _digest(lock: Path) -> str:
    inputs = (ROOT / "pyproject.toml", lock, BOOTSTRAP_LOCK)
    return hashlib.sha256(b"".join(path.read_bytes() for path in inputs)).hexdigest()


def _installed(env: Path, lock: Path) -> bool:
    """Whether `env` holds `lock` as it is now; the dev lock holds the demo lock's pins too."""
    candidates = (lock, DEV_LOCK) if lock == DEMO_LOCK else (lock,)
    for candidate in candidates:
        stamp = env / f".installed-{candidate.stem}"
        if stamp.is_file() and stamp.read_text() == _digest(candidate):
            return True
    return False


def _ensure_env(env: Path, lock: Path | None) -> None:
    """Create `env`; install `lock` (None: the newest releases in range) and the project.

    Installing again happens only when the lock or pyproject.toml changed, so a second run
    starts at once. `uv pip install` (not `sync`) leaves extras CI adds, such as atheris.
    """
    if lock is not None and _installed(env, lock):
        return
    if not _python(env).exists():
        venv.EnvBuilder(with_pip=True).create(env)
    uv = [*_uv(env), "pip", "install", "--quiet", "--python", str(_python(env))]
    if lock is None:
        _run(*uv, "--upgrade", "--resolution", "highest", "-e", f"{ROOT}[dev]")
        return
    _run(*uv, "--require-hashes", "-r", lock)
    _run(*uv, "--no-deps", "-e", str(ROOT))
    (env / f".installed-{lock.stem}").write_text(_digest(lock))


def _lock() -> int:
    """Refresh the committed locks from pyproject.toml: the one command that moves pins."""
    env = ROOT / ".venv"
    _ensure_env(env, DEV_LOCK)
    uv = _uv(env)
    _run(*uv, *COMPILE, "--upgrade", "-o", BOOTSTRAP_LOCK, BOOTSTRAP_LOCK.with_suffix(".in"))
    _run(*uv, *COMPILE, "--upgrade", "--extra", "dev", "-o", DEV_LOCK, "pyproject.toml")
    # Within the dev pins, so `demo` and `test` never disagree on a version.
    _run(*uv, *COMPILE, "--extra", "demo", "-c", DEV_LOCK, "-o", DEMO_LOCK, "pyproject.toml")
    return 0


def _nox(env: Path, sessions: list[str], extra: list[str]) -> int:
    nox = [
        str(_python(env)),
        "-m",
        "nox",
        "--no-venv",
        "--no-install",
        "-f",
        str(ROOT / "noxfile.py"),
    ]
    path = f"{_python(env).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env_vars = {**os.environ, "PATH": path, "VIRTUAL_ENV": str(env)}
    posargs = ["--", *extra] if extra else []
    done = subprocess.run([*nox, "-s", *sessions, *posargs], cwd=ROOT, env=env_vars, check=False)
    return done.returncode


def main(argv: list[str]) -> int:
    """Run the command named in argv[0] with the rest as its session's arguments."""
    commands = [*SESSIONS, "lock"]
    if not argv or argv[0] not in commands:
        sys.stderr.write(f"usage: python3 dev.py {{{'|'.join(commands)}}} [ARGS...]\n")
        return 2
    if argv[0] == "lock":
        return _lock()
    sessions, lock = SESSIONS[argv[0]]
    latest = argv[0] == "test-latest"
    env = ROOT / (".venv-latest" if latest else ".venv")
    _ensure_env(env, None if latest else lock)
    return _nox(env, sessions, argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
