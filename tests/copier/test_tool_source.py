"""Where a generated project gets the tool: for each kind of source copier copies from, the
pyproject pin names the template's commit and installs with the pip `python -m venv` gives.

Real copier, a real stock venv (its pip not upgraded), and `git daemon` on loopback serving the
template the way a git host would. Sources that give no commit are refused with the way out.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - tomli is a dependency on 3.10
    import tomli as tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import TemplateRepo, run
from packaging.requirements import Requirement

from helpers import free_port

pytestmark = pytest.mark.slow


def copier_copy(source: str, destination: Path, cwd: Path, *data: str) -> Any:
    """`copier copy --defaults` with the copier CLI of this environment."""
    answers = [arg for item in data for arg in ("--data", item)]
    command = [sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref", "v1.0.0"]
    return run([*command, *answers, source, str(destination)], cwd, check=False)


def tool_pin(project: Path) -> Requirement:
    """The generated pyproject's requirement on kfp-templates."""
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    [pin] = [d for d in data["project"]["dependencies"] if d.startswith("kfp-templates")]
    return Requirement(pin)


def commit_of(repo: Path, ref: str) -> str:
    return run(["git", "rev-parse", f"{ref}^{{commit}}"], repo).stdout.strip()


def install_with_stock_pip(requirement: Requirement, venv: Path) -> str:
    """`pip install --no-deps` of the pin in a new venv; returns the installed commit."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    version = subprocess.run([*pip, "--version"], capture_output=True, text=True, check=True)
    print(version.stdout.strip())  # the bundled pip, never upgraded here
    done = subprocess.run(
        [*pip, "install", "--no-deps", "--disable-pip-version-check", str(requirement)],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    direct_url = next(venv.glob("lib/python3*/site-packages/kfp_templates-*/direct_url.json"))
    return str(json.loads(direct_url.read_text())["vcs_info"]["commit_id"])


def test_relative_path_source_pins_and_installs(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    """`copier copy ../kfp-templates proj`: the pin is the absolute file://localhost URL."""
    work = tmp_path / "work"
    work.mkdir()
    relative = os.path.relpath(template_repo.path, work)
    copied = copier_copy(relative, work / "proj", work)
    assert copied.returncode == 0, copied.stderr
    requirement = tool_pin(work / "proj")
    sha = commit_of(template_repo.path, "v1.0.0")
    real = os.path.realpath(template_repo.path)
    assert requirement.url == f"git+file://localhost{real}@{sha}"
    assert install_with_stock_pip(requirement, tmp_path / "venv") == sha


@pytest.fixture
def git_server(template_repo: TemplateRepo, tmp_path: Path) -> Iterator[str]:
    """`git daemon` on loopback serving a bare clone of the template; yields its git:// URL."""
    served = tmp_path / "served"
    run(["git", "clone", "--bare", "--quiet", str(template_repo.path),
         str(served / "kfp-templates.git")], tmp_path)
    port = free_port()
    daemon = subprocess.Popen(
        ["git", "daemon", "--export-all", f"--base-path={served}", "--listen=127.0.0.1",
         f"--port={port}", "--reuseaddr", str(served)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"git://127.0.0.1:{port}/kfp-templates.git"
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def _wait_for_port(port: int) -> None:
    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("git daemon did not listen on loopback")


def test_git_daemon_source_pins_and_installs(
    template_repo: TemplateRepo, git_server: str, tmp_path: Path
) -> None:
    """A git:// source (once an unpinned bare name) pins git+git://...@COMMIT; pip installs it."""
    copied = copier_copy(git_server, tmp_path / "proj", tmp_path)
    assert copied.returncode == 0, copied.stderr
    sha = commit_of(template_repo.path, "v1.0.0")
    requirement = tool_pin(tmp_path / "proj")
    assert requirement.url == f"git+{git_server}@{sha}"
    assert install_with_stock_pip(requirement, tmp_path / "venv") == sha


def test_source_without_a_commit_is_refused_with_the_way_out(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    """A plain directory (no git): no pin can be made, so no project, and the message says how
    to publish the tool; with a hashed wheel URL answered, that wheel is the pin."""
    plain = tmp_path / "plain"
    run(["git", "clone", "--quiet", str(template_repo.path), str(plain)], tmp_path)
    run(["rm", "-rf", str(plain / ".git")], tmp_path)
    refused = copier_copy(str(plain), tmp_path / "proj", tmp_path)
    assert refused.returncode != 0
    assert "tool_wheel_url" in refused.stderr and "not a git repository" in refused.stderr
    assert "pip wheel --no-deps" in refused.stderr
    assert not (tmp_path / "proj" / "pyproject.toml").exists()

    wheel = "https://pkgs.example.invalid/kfp_templates-1.0.0-py3-none-any.whl#sha256=" + "b" * 64
    copied = copier_copy(str(plain), tmp_path / "proj", tmp_path, f"tool_wheel_url={wheel}")
    assert copied.returncode == 0, copied.stderr
    assert tool_pin(tmp_path / "proj").url == wheel
    assert "tool_wheel_url" in (tmp_path / "proj" / ".copier-answers.yml").read_text()
