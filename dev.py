#!/usr/bin/env python3
"""Bootstrap for a fresh machine with only Python: make .venv, install, run one nox session.

    python3 dev.py demo    # scaffold a consumer project, validate it, run its pipeline locally
    python3 dev.py test    # lint, type-check and run the whole test suite
    python3 dev.py bench   # rerun every benchmark (bench/README.md has the figures)

The sessions run inside .venv (nox --no-venv --no-install), so everything is installed once.
Extra arguments after the session name go to the session (for pytest, for example).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
SESSIONS = {
    "demo": ["demo"],
    "test": ["lint", "typecheck", "tests"],
    "bench": ["bench"],
}


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _ensure_installed() -> None:
    """Create .venv and install the project with dev extras, again only when pyproject changes."""
    stamp = VENV / ".kfp-templates-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not _venv_python().exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(_venv_python()), "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    """Run the session named in argv[0] with the rest as its arguments."""
    if not argv or argv[0] not in SESSIONS:
        sys.stderr.write(f"usage: python3 dev.py {{{'|'.join(SESSIONS)}}} [ARGS...]\n")
        return 2
    _ensure_installed()
    nox = [
        str(_venv_python()),
        "-m",
        "nox",
        "--no-venv",
        "--no-install",
        "-f",
        str(ROOT / "noxfile.py"),
    ]
    sessions = SESSIONS[argv[0]]
    extra = ["--", *argv[1:]] if argv[1:] else []
    env = {**os.environ, "PATH": f"{_venv_python().parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([*nox, "-s", *sessions, *extra], cwd=ROOT, env=env, check=False)
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
