"""A consumer's first day, as the generated README says it, with stock tools (issue 12).

The template is copied from a local tagged git repository and from `git daemon` on loopback (the
closest thing here to `gh:org/kfp-templates`). In the copied project, a new venv keeps the pip
`python3 -m venv` gives (not upgraded) and runs the README's commands as written: install copier
and nox, the editor install, `nox -s validate`, `tests`, `run`, `build -- --push` (buildah into a
loopback docker-registry, on the tests' mmdebstrap base image), a compile that names the pushed
image by digest, `copier update` to a newer tag after that build, and `validate` again. The
consumer's files (user/, config.yaml, requirements.txt) stay byte-identical throughout.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from e2e_helpers import TemplateRepo, git_commit, run, tree_hashes, use_reference

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "images"))

from _infra import BASE_IMAGE, Registry, import_base, require_programs, storage_conf

from helpers import free_port

pytestmark = pytest.mark.slow
TEMPLATE = "custom_component"  # the lightest image (kfp and pandas): the journey, not the weight
CONSUMER_FILES = ("user", "config.yaml", "requirements.txt")


def consumer_hashes(project: Path) -> dict[str, str]:
    """sha256 of every consumer-owned file, by path."""
    hashes = {f"user/{name}": digest for name, digest in tree_hashes(project / "user").items()}
    for name in CONSUMER_FILES[1:]:
        hashes[name] = hashlib.sha256((project / name).read_bytes()).hexdigest()
    return hashes


class Shell:
    """Commands in the consumer's fresh venv: its bin first on PATH, nothing else of ours."""

    def __init__(self, venv: Path, env: Mapping[str, str]) -> None:
        self.venv = venv
        path = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
        self.env = {**env, "PATH": path, "VIRTUAL_ENV": str(venv), "PIP_NO_INPUT": "1"}

    def __call__(self, command: str, cwd: Path, timeout: float = 1800) -> str:
        """Run one README line with the shell; fail with its output unless it exits 0."""
        done = subprocess.run(
            command,
            shell=True,
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"$ {command}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        return done.stdout + done.stderr


@pytest.fixture(scope="module")
def daemon(template_repo: TemplateRepo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`git daemon` on loopback serving a bare clone of the template repository."""
    base = tmp_path_factory.mktemp("git-daemon")
    run(["git", "clone", "-q", "--bare", str(template_repo.path), "kfp-templates.git"], base)
    port = free_port()
    argv = [
        "git",
        "daemon",
        "--export-all",
        f"--base-path={base}",
        "--listen=127.0.0.1",
        f"--port={port}",
        "--reuseaddr",
        str(base),
    ]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"git://127.0.0.1:{port}/kfp-templates.git"
    try:
        for _ in range(100):
            if run(["git", "ls-remote", url], base, check=False).returncode == 0:
                break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Shell:
    """A new venv with the pip `python3 -m venv` gives, then the README's first line."""
    root = tmp_path_factory.mktemp("consumer-machine")
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}
    shell = Shell(root / "venv", env | {"HOME": str(Path.home())})
    shell("python3 -m pip install -q copier 'nox[uv]'", root)  # the README's install line
    return shell


def _copy(shell: Shell, source: str, project: Path, ref: str) -> None:
    shell(
        f"copier copy --defaults --vcs-ref {ref} -d template={TEMPLATE} {source} {project}",
        project.parent,
    )


def test_copy_from_a_git_server_then_validate(
    shell: Shell, daemon: str, template_repo: TemplateRepo, tmp_path: Path
) -> None:
    """`copier copy git://...`: the pin names the server, and the README's validate passes."""
    project = tmp_path / "served"
    _copy(shell, daemon, project, template_repo.v1)
    commit = run(["git", "rev-parse", f"{template_repo.v1}^{{commit}}"], template_repo.path)
    assert f"{daemon}@{commit.stdout.strip()}" in (project / "pyproject.toml").read_text()
    # uv installs git URLs over https, ssh and file only; pip (virtualenv) also speaks git://
    shell("nox --force-venv-backend virtualenv -s validate", project)


def test_first_day_from_a_local_tagged_repository(
    shell: Shell, template_repo: TemplateRepo, tmp_path: Path
) -> None:
    require_programs()
    project = tmp_path / "myproj"
    _copy(shell, str(template_repo.path), project, template_repo.v1)
    use_reference(project, TEMPLATE)  # the consumer writes user/ and config.yaml
    git_commit(project, "copier copy, then my code")
    mine = consumer_hashes(project)

    shell("python3 -m pip install -q -e '.[dev]' -r requirements.txt", project)  # editor env
    for session in ("validate", "tests", "run"):
        out = shell(f"nox -s {session}", project)
        assert "uv binary not found" not in out and "(uv)" in out, out[-2000:]
        assert consumer_hashes(project) == mine, session
    installed = (project / ".nox" / "validate").glob("lib/python*/site-packages/*")
    heavy = {"kfp", "google", "sklearn", "pandas"} & {path.name for path in installed}
    assert not heavy, f"validate needs only the tool's core, got {heavy}"

    digest = _build_and_push(shell, project, tmp_path / "images")
    assert consumer_hashes(project) == mine
    compiled = tmp_path / "pipeline.yaml"
    shell(f"kfp-templates compile --output {compiled}", project)
    assert f"@{digest}" in compiled.read_text()

    # .kfp-build/ (context and wheels), .nox/ and local_outputs/ are ignored; the lock is
    # meant to be committed (decision 0011)
    status = run(["git", "status", "--porcelain"], project).stdout.split("\n")
    assert set(filter(None, status)) <= {"?? image-requirements.lock"}, status
    shell('git add -A && git commit -q -m "my work"', project)  # the README's update section
    shell(f"copier update --defaults --vcs-ref {template_repo.v2}", project)
    readme = (project / "README.md").read_text()
    assert "built on the **custom_component** template pipeline" in readme  # v2 arrived
    shell("nox -s validate", project)
    assert consumer_hashes(project) == mine


def _build_and_push(shell: Shell, project: Path, root: Path) -> str:
    """`nox -s build -- --push` into a loopback registry; returns the pushed digest."""
    root.mkdir()
    conf, _driver = storage_conf(root)
    shell.env["CONTAINERS_STORAGE_CONF"] = str(conf)
    import_base(dict(shell.env))
    registry = Registry(root / "registry")
    try:
        out = shell(
            f"nox -s build -- --push --registry {registry.host}/team --base-image {BASE_IMAGE}"
            " --no-tls-verify",
            project,
        )
    finally:
        registry.stop()
    pinned = [line for line in out.splitlines() if f"{registry.host}/team/" in line and "@" in line]
    assert pinned, out[-3000:]
    return pinned[-1].rsplit("@", 1)[1].strip()
