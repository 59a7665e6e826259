"""The root noxfile's light sessions install a subset of the dev lock (issue 16.12)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = """\
a==1.0 \\
    --hash=sha256:aa
    # via kfp-templates (pyproject.toml)
b==2.0 ; python_full_version < '3.11' \\
    --hash=sha256:b1
    # via a
b==2.1 ; python_full_version >= '3.11' \\
    --hash=sha256:b2
    # via a
c-d==3.0 \\
    --hash=sha256:cc
    # via
    #   b
    #   e
e==4.0 \\
    --hash=sha256:ee
    # via kfp-templates (pyproject.toml)
"""


def _noxfile() -> ModuleType:
    spec = importlib.util.spec_from_file_location("root_noxfile", ROOT / "noxfile.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NOXFILE = _noxfile()


def _names(subset: str) -> list[str]:
    return [line.split(" ")[0] for line in subset.splitlines() if not line.startswith(" ")]


@pytest.mark.parametrize(
    ("tools", "expected"),
    [
        (("a",), ["a==1.0", "b==2.0", "b==2.1", "c-d==3.0"]),  # both marker variants of b
        (("e",), ["c-d==3.0", "e==4.0"]),  # a multi-line `# via`
        (("C_D",), ["c-d==3.0"]),  # names compared normalised
        (("nothing",), []),
    ],
)
def test_lock_subset(tools: tuple[str, ...], expected: list[str]) -> None:
    assert _names(NOXFILE.lock_subset(LOCK, tools)) == expected


def test_hashes_are_kept_and_the_last_line_ends_the_entry() -> None:
    assert NOXFILE.lock_subset(LOCK, ("e",)).splitlines() == [
        "c-d==3.0 \\",
        "    --hash=sha256:cc",
        "e==4.0 \\",
        "    --hash=sha256:ee",
    ]


@pytest.mark.parametrize("tools", ["LINT_TOOLS", "DOCS_TOOLS"])
def test_light_sessions_leave_the_heavy_libraries_out(tools: str) -> None:
    lock = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    names = {
        name.split("==")[0] for name in _names(NOXFILE.lock_subset(lock, getattr(NOXFILE, tools)))
    }
    assert set(getattr(NOXFILE, tools)) <= names
    assert not names & {"kfp", "google-cloud-aiplatform", "scikit-learn", "pandas", "copier"}
