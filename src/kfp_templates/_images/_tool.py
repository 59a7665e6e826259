"""The kfp-templates tool itself, as a wheel for the image.

Components run `kfp_templates` code inside the image, so the image must hold the very version
the project was validated and compiled with. An install from a source tree (editable or not) is
built into a wheel; so is one from a git commit (a generated project's pin), from that commit;
an install from an index is downloaded by exact version.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from urllib.parse import unquote, urlparse

from kfp_templates._images._atomic import replace_dir, staging_dir
from kfp_templates._images._hashing import file_sha256, tree_sha256
from kfp_templates._images._requirements import TOOL_DISTRIBUTION
from kfp_templates._images._run import run_tool
from kfp_templates._version import __version__

# Wheels record file times; a fixed epoch makes a rebuilt tool wheel byte-identical.
_REPRODUCIBLE_EPOCH = "315532800"


def ensure_tool_wheel(pip: Sequence[str], build_dir: Path, *, stream: bool = False) -> Path:
    """The tool's wheel in `.kfp-build/tool/`, built or downloaded only when the tool changed."""
    source = tool_source_dir()
    vcs = "" if source else tool_vcs_requirement()
    fingerprint = _digest(vcs) if vcs else _fingerprint(source)
    cache = build_dir / "tool" / fingerprint[:16]
    built = sorted(cache.glob("*.whl"))
    if built:
        return built[0]
    with staging_dir(cache.parent, cache.name) as staging:
        if source is not None or vcs:
            _build(pip, vcs or str(source), staging, stream)
        else:
            _download(pip, staging, stream)
        replace_dir(staging, cache)
    return sorted(cache.glob("*.whl"))[0]


def tool_source_dir() -> Path | None:
    """The source tree the tool was installed from (pip's direct_url.json), if any."""
    direct = _direct_url()
    if "vcs_info" in direct:
        return None
    url = urlparse(str(direct.get("url", "")))
    path = Path(unquote(url.path))
    return path if url.scheme == "file" and (path / "pyproject.toml").is_file() else None


def tool_vcs_requirement() -> str:
    """`git+URL@COMMIT` when the tool was installed from a git commit, else ""."""
    direct = _direct_url()
    vcs = direct.get("vcs_info")
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git" or not vcs.get("commit_id"):
        return ""
    return f"git+{direct.get('url', '')}@{vcs['commit_id']}"


def _direct_url() -> dict[str, object]:
    """pip's record of where the tool came from (PEP 610); empty for an index install."""
    try:
        text = distribution(TOOL_DISTRIBUTION).read_text("direct_url.json")
    except PackageNotFoundError:
        return {}
    data = json.loads(text) if text else {}
    return data if isinstance(data, dict) else {}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _fingerprint(source: Path | None) -> str:
    """Changes whenever the wheel would: the version, and for a source tree its files."""
    if source is None:
        return hashlib.sha256(f"index {__version__}".encode()).hexdigest()
    package = Path(__file__).resolve().parent.parent
    project = file_sha256(source / "pyproject.toml")
    return tree_sha256(package, extra=[f"source {__version__}", project])


def _build(pip: Sequence[str], source: str, destination: Path, stream: bool) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": _REPRODUCIBLE_EPOCH}
    argv = [*pip, "wheel", "--no-deps", "--wheel-dir", str(destination), str(source)]
    run_tool(argv, hint=f"check that {source} builds: pip wheel {source}", stream=stream, env=env)


def _download(pip: Sequence[str], destination: Path, stream: bool) -> None:
    requirement = f"{TOOL_DISTRIBUTION}=={__version__}"
    argv = [*pip, "download", "--no-deps", "--only-binary=:all:", "--dest", str(destination)]
    hint = f"{requirement} must be downloadable as a wheel from your package index"
    run_tool([*argv, requirement], hint=hint, stream=stream)
