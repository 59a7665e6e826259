"""Which Python the image is for: the flag, else the project's answer, else this interpreter.

The wheels are chosen for this version and the Dockerfile checks the base image against it, so
a project answered with Python 3.12 is never built for the host's 3.11 by accident.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kfp_templates._errors import UsageError
from kfp_templates._yamlio import YamlLoadError, load_yaml

ANSWERS_FILE = ".copier-answers.yml"
_PYTHON_VERSION = re.compile(r"3\.[0-9]{1,2}")


def project_python_version(root: Path, requested: str | None) -> str:
    """`requested`, else `python_version` of the project's copier answers, else this Python's.

    Raises:
        UsageError: when the chosen value is not a version such as 3.11.
    """
    version = requested or _answered(root) or f"{sys.version_info.major}.{sys.version_info.minor}"
    if not _PYTHON_VERSION.fullmatch(version):
        source = "--python-version" if requested else f"python_version in {ANSWERS_FILE}"
        raise UsageError(f"{version!r} ({source}) is not a Python version", hint="write 3.11")
    return version


def _answered(root: Path) -> str:
    """The answer copier recorded, or "" when there is no readable one."""
    try:
        data = load_yaml((root / ANSWERS_FILE).read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, YamlLoadError):
        return ""
    value = data.get("python_version") if isinstance(data, dict) else None
    return str(value) if value is not None else ""
