"""Resolve the image's dependencies on the host into wheels, so the image build needs no index.

pip resolves for the image's Python and platform (not the host's) with `pip download
--only-binary=:all: --python-version --platform`; the wheels land in `.kfp-build/wheels/`, a
cache shared by all builds of the project, and the lock pins each one by hash.

Some requirements exist on the index only as source distributions (kfp itself needs
kfp-server-api, which ships no wheel), and a cross-platform `pip download` cannot take those.
When the first resolution fails, `pip wheel` builds the requirements on the host and the pure
Python wheels it produced (`*-none-any.whl`, which fit any platform) are kept in
`.kfp-build/built-wheels/` and offered to the second resolution with `--find-links`.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

from kfp_templates._errors import ExternalServiceError
from kfp_templates._images._atomic import staging_dir, write_text_atomic
from kfp_templates._images._hashing import file_sha256
from kfp_templates._images._lock import LOCK_NAME, Lock, locked_wheel, parse_lock
from kfp_templates._images._run import run_tool
from kfp_templates._progress import SILENT, Progress
from kfp_templates._records import record

_OLDEST_GLIBC_MINOR = 17
BUILT_WHEELS = "built-wheels"  # pure-Python wheels built here from sdist-only requirements


@record
class Target:
    """The image's interpreter and platform, which decide which wheels fit.

    Attributes:
        python_version: `3.11`; must match the base image's Python.
        arch: Machine architecture of the image.
        glibc_minor: Newest manylinux glibc (2.N) to accept; 28 fits Debian 10+ and RHEL 8+.
    """

    python_version: str
    arch: str = "x86_64"
    glibc_minor: int = 28

    def pip_args(self) -> list[str]:
        """pip options that make it choose wheels for the image instead of the host."""
        args = ["--only-binary=:all:", "--implementation", "cp"]
        args += ["--python-version", self.python_version]
        for minor in range(self.glibc_minor, _OLDEST_GLIBC_MINOR - 1, -1):
            args += ["--platform", f"manylinux_2_{minor}_{self.arch}"]
        for legacy in ("manylinux2014", "manylinux2010", "manylinux1"):
            args += ["--platform", f"{legacy}_{self.arch}"]
        return args


@record
class Dependencies:
    """The resolved dependency set: the lock and the wheel files it pins, in lock order."""

    lock: Lock
    wheels: tuple[Path, ...]


def ensure_dependencies(
    pip: Sequence[str],
    root: Path,
    build_dir: Path,
    requirements: tuple[str, ...],
    target: Target,
    *,
    stream: bool = False,
    progress: Progress = SILENT,
) -> Dependencies:
    """Reuse the project's lock when its inputs are unchanged, else resolve and write a new one.

    `progress` sees two phases: `resolving` (only when the lock is stale) and `wheels`.

    Raises:
        ExternalServiceError: when pip cannot find wheels for the image's platform.
    """
    fingerprint = lock_fingerprint(requirements, target)
    lock_path = root / LOCK_NAME
    existing = parse_lock(lock_path.read_text(encoding="utf-8")) if lock_path.is_file() else None
    if existing is None or existing.fingerprint != fingerprint:
        with progress.phase("resolving", f"Python {target.python_version}, {LOCK_NAME}"):
            existing = _resolve(pip, build_dir, requirements, target, fingerprint, stream=stream)
            write_text_atomic(lock_path, existing.render())
    with progress.phase("wheels", f"{len(existing.wheels)} pinned in {LOCK_NAME}"):
        wheels = _fetch_locked(pip, build_dir, existing, target, stream)
    return Dependencies(existing, wheels)


def lock_fingerprint(requirements: tuple[str, ...], target: Target) -> str:
    """A short, stable description of what the lock was resolved from."""
    text = "\n".join([*requirements, *target.pip_args()])
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"python {target.python_version}, {target.arch}, sha256:{digest}"


def _resolve(
    pip: Sequence[str],
    build_dir: Path,
    requirements: tuple[str, ...],
    target: Target,
    fingerprint: str,
    *,
    stream: bool,
) -> Lock:
    wheels_dir = build_dir / "wheels"
    with staging_dir(build_dir, "resolve") as staging:
        if requirements:
            _download_for_target(pip, build_dir, staging, requirements, target, stream=stream)
        files = sorted(staging.glob("*.whl"))
        pinned = tuple(locked_wheel(path.name, file_sha256(path)) for path in files)
        wheels_dir.mkdir(parents=True, exist_ok=True)
        for path in files:
            path.replace(wheels_dir / path.name)
    return Lock(fingerprint, tuple(sorted(pinned, key=lambda wheel: wheel.name)))


def _download_for_target(
    pip: Sequence[str],
    build_dir: Path,
    staging: Path,
    requirements: tuple[str, ...],
    target: Target,
    *,
    stream: bool,
) -> None:
    """Resolve for the image; on failure, build sdist-only requirements here and try again."""

    def download() -> None:  # --find-links only once built-wheels/ exists
        links = _find_links(build_dir / BUILT_WHEELS)
        _pip_download(pip, staging, [*target.pip_args(), *links, *requirements], target, stream)

    try:
        download()
        return
    except ExternalServiceError as first:
        if not _build_pure_wheels(pip, build_dir, requirements, stream):
            raise first from None
    download()


def _build_pure_wheels(
    pip: Sequence[str], build_dir: Path, requirements: tuple[str, ...], stream: bool
) -> bool:
    """`pip wheel` on the host; keep the platform-independent wheels. False when none came out."""
    built = build_dir / BUILT_WHEELS
    with staging_dir(build_dir, "host-wheels") as staging:
        try:
            run_tool(
                [*pip, "wheel", "--wheel-dir", str(staging), *requirements], hint="", stream=stream
            )
        except ExternalServiceError:
            return False
        pure = sorted(staging.glob("*-none-any.whl"))
        built.mkdir(parents=True, exist_ok=True)
        for path in pure:
            path.replace(built / path.name)
    return bool(pure)


def _find_links(built: Path) -> list[str]:
    return ["--find-links", str(built)] if built.is_dir() else []


def _fetch_locked(
    pip: Sequence[str], build_dir: Path, lock: Lock, target: Target, stream: bool
) -> tuple[Path, ...]:
    """The locked wheels from the cache, downloading (by hash) any that are missing."""
    wheels_dir = build_dir / "wheels"
    missing = [w for w in lock.wheels if not _cached(wheels_dir / w.filename, w.sha256)]
    if missing:
        with staging_dir(build_dir, "fetch") as staging:
            requirements = staging / "missing.txt"
            requirements.write_text(Lock(lock.fingerprint, tuple(missing)).render())
            args = [*target.pip_args(), *_find_links(build_dir / BUILT_WHEELS), "--no-deps"]
            args += ["--require-hashes", "-r", str(requirements)]
            _pip_download(pip, staging, args, target, stream)
            wheels_dir.mkdir(parents=True, exist_ok=True)
            for wheel in missing:
                shutil.move(staging / wheel.filename, wheels_dir / wheel.filename)
    return tuple(wheels_dir / wheel.filename for wheel in lock.wheels)


def _cached(path: Path, sha256: str) -> bool:
    return path.is_file() and file_sha256(path) == sha256


def _pip_download(
    pip: Sequence[str], destination: Path, args: list[str], target: Target, stream: bool
) -> None:
    hint = (
        f"a requirement may have no wheel for Python {target.python_version} on manylinux "
        f"{target.arch}: pin a version that ships wheels, or pass --python-version to match the "
        "base image's Python; pip's own index settings (pip config list) apply"
    )
    run_tool([*pip, "download", "--dest", str(destination), *args], hint=hint, stream=stream)
