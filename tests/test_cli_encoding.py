"""Names that are not UTF-8 are printed, never a crash (issue 15, point 8).

POSIX file names are bytes; Python hands the undecodable ones over as lone surrogates (PEP 383),
which a strict UTF-8 stdout (`PYTHONIOENCODING=utf-8`) refuses to encode.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import CASES


@pytest.fixture(scope="module")
def odd_project(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A project named `proj\\xff` holding a `.rej` file named `x\\xfe.py.rej` (PRJ101)."""
    root = os.fsencode(tmp_path_factory.mktemp("enc")) + b"/proj\xff"
    shutil.copytree(os.fsencode(CASES / "base"), root)
    Path(os.fsdecode(root + b"/user/x\xfe.py.rej")).write_text("hunk\n")
    return root


def _validate(project: bytes, *extra: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C"}
    argv = [sys.executable, "-m", "kfp_templates", "validate", os.fsdecode(project), *extra]
    return subprocess.run(argv, capture_output=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_odd_bytes_in_names_are_shown_escaped(odd_project: bytes, fmt: str) -> None:
    done = _validate(odd_project, "--format", fmt)
    assert done.returncode == 1, done.stderr.decode(errors="replace")
    out = done.stdout.decode("utf-8")  # the output itself is valid UTF-8
    assert "user/x\\xfe.py.rej" in out and "PRJ101" in out
    if fmt == "text":
        assert "proj\\xff" in out


def test_json_keeps_the_name_and_stays_parseable(odd_project: bytes) -> None:
    done = _validate(odd_project, "--format", "json")
    assert done.returncode == 1
    [finding] = json.loads(done.stdout)
    assert os.fsencode(finding["path"]) == b"user/x\xfe.py.rej"


def test_an_error_naming_an_odd_path_is_printed(tmp_path: Path) -> None:
    done = _validate(os.fsencode(tmp_path) + b"/missing\xff")
    assert done.returncode == 2
    assert "missing\\xff does not exist" in done.stderr.decode("utf-8")
