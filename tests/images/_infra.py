"""Real infrastructure for image tests: a loopback registry, isolated buildah storage, a base image.

Skips (with the reason) where buildah, docker-registry, skopeo or mmdebstrap are missing or
cannot work; never passes without having built anything.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import free_port

BASE_IMAGE = "localhost/kfp-templates-test-base:bookworm"
MMDEBSTRAP = (
    "mmdebstrap",
    "--variant=apt",
    "--include=python3,python3-venv,python3-pip",
    "--format=tar",
    "bookworm",
)
REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kfp-templates-tests"


def require_programs() -> None:
    """Skip unless every program the image tests run is installed."""
    missing = [
        p for p in ("buildah", "docker-registry", "skopeo", "mmdebstrap") if not shutil.which(p)
    ]
    if missing:
        pytest.skip(f"image tests need {', '.join(missing)} (.ci/run installs them with apt-get)")


def storage_conf(root: Path) -> tuple[Path, str]:
    """A containers storage.conf in `root`: overlay when this kernel allows it, else vfs."""
    for driver in _drivers():
        conf = root / f"storage-{driver}.conf"
        conf.write_text(
            f'[storage]\ndriver = "{driver}"\ngraphroot = "{root}/{driver}/graph"\n'
            f'runroot = "{root}/{driver}/run"\n'
        )
        env = {**os.environ, "CONTAINERS_STORAGE_CONF": str(conf)}
        probe = subprocess.run(
            ["buildah", "from", "scratch"], env=env, capture_output=True, text=True
        )
        if probe.returncode == 0:
            container = probe.stdout.strip()
            mounted = subprocess.run(["buildah", "mount", container], env=env, capture_output=True)
            subprocess.run(["buildah", "rm", container], env=env, capture_output=True)
            if mounted.returncode == 0:
                return conf, driver
    pytest.skip("buildah cannot create or mount a working container here (overlay and vfs tried)")


def _drivers() -> list[str]:
    """vfs is the portable choice; overlay is ~5x faster where the kernel lets us mount it."""
    chosen = os.environ.get("KFP_TEMPLATES_TEST_STORAGE_DRIVER")
    return [chosen] if chosen else ["overlay", "vfs"]


def base_tar() -> Path:
    """The mmdebstrap base tarball, cached between runs, keyed by the command that makes it."""
    key = hashlib.sha256(" ".join(MMDEBSTRAP).encode()).hexdigest()[:16]
    tar = CACHE / key / "base.tar"
    if not tar.is_file():
        tar.parent.mkdir(parents=True, exist_ok=True)
        partial = tar.with_suffix(".partial")
        done = subprocess.run([*MMDEBSTRAP, str(partial)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mmdebstrap could not make a base image: {done.stderr.strip()[-300:]}")
        partial.replace(tar)
    return tar


def import_base(env: dict[str, str]) -> None:
    """Make the base image in buildah storage from the tarball (from scratch, add, commit)."""

    def buildah(*args: str) -> str:
        return subprocess.run(
            ["buildah", *args], env=env, check=True, capture_output=True, text=True
        ).stdout.strip()

    container = buildah("from", "scratch")
    buildah("add", container, str(base_tar()), "/")
    buildah("config", "--cmd", "python3", container)
    buildah("commit", "--quiet", container, BASE_IMAGE)
    buildah("rm", container)


class Registry:
    """docker-registry on 127.0.0.1 with a free port; config and storage under a temp dir."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        root.mkdir(parents=True, exist_ok=True)
        config = root / "registry.yml"
        config.write_text(
            f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {root}/data\n"
            f"http:\n  addr: 127.0.0.1:{self.port}\nlog:\n  level: error\n"
        )
        self.host = f"127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["docker-registry", "serve", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()

    def _wait(self) -> None:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://{self.host}/v2/", timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.skip("docker-registry did not start on loopback")

    def stop(self) -> None:
        """Stop the registry process this fixture started."""
        self.process.terminate()
        self.process.wait(timeout=10)


@dataclass(frozen=True)
class Rig:
    """What the image tests build with: registry host, this checkout's wheel, storage driver."""

    registry: str
    tool_wheel: Path
    driver: str


def tool_wheel(directory: Path) -> Path:
    """This checkout as a wheel, built once, so edits elsewhere in the tree cannot move tags."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
    argv = ["pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(directory), str(REPO)]
    subprocess.run([sys.executable, "-m", *argv], check=True, env=env, capture_output=True)
    return next(directory.glob("kfp_templates-*.whl"))
