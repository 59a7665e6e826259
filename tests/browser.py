"""Headless Chromium (the Debian package `chromium`) for tests that look at a page or a picture."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run")


def chromium() -> str:
    """The chromium program, or skip: the suite's CI installs it (.ci/run)."""
    program = shutil.which("chromium") or shutil.which("chromium-browser")
    if program is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)")
    return program


def _run(arguments: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run(
            [chromium(), *_FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def screenshot(url: str, output: Path, size: tuple[int, int] = (1000, 800)) -> Path:
    """A PNG of `url` as Chromium draws it in a window of `size`."""
    done = _run([f"--window-size={size[0]},{size[1]}", f"--screenshot={output}", url])
    assert output.is_file(), f"chromium wrote no screenshot: {done.stderr[-2000:]}"
    return output


def dump_dom(url: str) -> str:
    """The page's DOM after its scripts and images loaded, as HTML."""
    done = _run(["--dump-dom", url])
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
