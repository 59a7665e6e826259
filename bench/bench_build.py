"""Benchmark `kfp-templates build`: first build vs no-op rebuild vs one-file-change rebuild.

Uses the same real rig as tests/images (docker-registry on loopback, isolated buildah storage,
an mmdebstrap bookworm base image cached in ~/.cache/kfp-templates-tests/) and a copy of
tests/cases/base with import-light user code. Each build runs the CLI as a fresh subprocess with
`--push`, so interpreter start, validate, wheel resolution, the build and the push all count.
The first build (empty wheel cache, no cached layers, empty registry) is the baseline; the others
are reported as ratios to it.

Run: `python bench/bench_build.py [--storage-driver overlay|vfs]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "images")]

import _infra  # noqa: E402 - found through the path set just above
from _consumer import make_project  # noqa: E402 - the same project as tests/images


def _build(project: Path, registry: str, tool_wheel: Path) -> float:
    argv = [
        sys.executable,
        "-m",
        "kfp_templates",
        "build",
        str(project),
        "--push",
        "--registry",
        f"{registry}/bench",
        "--base-image",
        _infra.BASE_IMAGE,
        "--no-tls-verify",
        "--tool-wheel",
        str(tool_wheel),
    ]
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - start


def _tool_wheel(directory: Path) -> Path:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
    argv = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "-w",
        str(directory),
        str(REPO),
    ]
    subprocess.run(argv, check=True, env=env, capture_output=True)
    return next(directory.glob("kfp_templates-*.whl"))


def _run(root: Path) -> list[tuple[str, float]]:
    _infra.require_programs()
    conf, driver = _infra.storage_conf(root)
    os.environ["CONTAINERS_STORAGE_CONF"] = str(conf)
    print(f"storage driver: {driver}", file=sys.stderr)
    _infra.import_base(dict(os.environ))
    registry = _infra.Registry(root / "registry")
    try:
        project = make_project(root / "project")
        wheel = _tool_wheel(root / "tool")
        first = _build(project, registry.host, wheel)
        noop = _build(project, registry.host, wheel)
        train = project / "user" / "train.py"
        train.write_text(train.read_text() + "\n# changed\n")
        one_file = _build(project, registry.host, wheel)
    finally:
        registry.stop()
    return [("first build + push", first), ("no-op rebuild", noop), ("one user file", one_file)]


def main() -> int:
    """Print a table of times and ratios to the first build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage-driver", choices=("overlay", "vfs"))
    args = parser.parse_args()
    if args.storage_driver:
        os.environ["KFP_TEMPLATES_TEST_STORAGE_DRIVER"] = args.storage_driver
    root = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        rows = _run(root)
    except BaseException as error:  # pytest.skip raises an Exception subclass of BaseException
        if type(error).__name__ == "Skipped":
            print(f"skipped: {error}")
            return 0
        raise
    finally:
        shutil.rmtree(root, ignore_errors=True)
    baseline = rows[0][1]
    print("| build | seconds | ratio to first |\n|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} | {seconds / baseline:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
