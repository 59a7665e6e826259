"""Hypothesis fuzz of whole projects through the CLI (issue 15): random user/ trees with odd
names (bytes that are not UTF-8, newlines, spaces), symlinks in and out of the project and in
loops, FIFOs, and files of random bytes. Whatever the tree, no command exits 3, and nothing is
written outside the project: not beside it, not in HOME, not in TMPDIR.

Bounded to a few dozen examples (well under a minute on a loaded two-core machine); deeper runs:
`pytest tests/fuzz/test_fuzz_projects.py --hypothesis-profile=fuzz-long`.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kfp_templates._cli.main import main

from helpers import CASES

# A name part: plain, odd bytes (not UTF-8), control characters, a dot-dot lookalike, long.
NAME_BYTES = st.one_of(
    st.sampled_from([b"preprocess.py", b"train.py", b"__init__.py", b"pkg", b"a.rej", b"x.py"]),
    st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")),
    st.sampled_from([b"caf\xe9.py", b"\xff\xfe", b"new\nline.py", b" space .py", b"...", b"-",
                     b"x\xfe.py.rej", b"__init__.py"]),
).filter(lambda b: b not in (b".", b".."))
LINK_TARGETS = st.sampled_from([
    "..", "../..", "/", ".", "@OUTSIDE@", "@OUTSIDE@/secret.txt", "@OUTSIDE@/missing.txt",
    "self", "train.py", "../config.yaml", "../template_pipeline", "/dev/zero", "../user",
])
ENTRY = st.tuples(
    st.lists(NAME_BYTES, min_size=1, max_size=3),
    st.sampled_from(["file", "dir", "link", "fifo"]),
    st.binary(max_size=300),
    LINK_TARGETS,
)
COMMANDS = [
    ["validate", "{project}", "--format", "text"],
    ["validate", "{project}", "--format", "github"],
    ["validate", "{project}", "--format", "json"],
    ["stubs", "--missing", "{project}"],
]


def _make(project: Path, outside: Path, entry: tuple[list[bytes], str, bytes, str]) -> None:
    parts, kind, content, target = entry
    user = os.fsencode(project / "user")
    path = os.path.join(user, *parts)
    if any(os.path.islink(os.path.join(user, *parts[:end])) for end in range(1, len(parts))):
        return  # an earlier entry made a parent a link: the harness itself must not follow it
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.isdir(path) and not os.path.islink(path):
            return
        if os.path.lexists(path):
            os.unlink(path)  # replace the base project's module: stubs --missing then writes
        if kind == "file":
            Path(os.fsdecode(path)).write_bytes(content)
        elif kind == "dir":
            os.mkdir(path)
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            link = os.path.basename(path) if target == "self" else os.fsencode(target)
            os.symlink(link.replace(b"@OUTSIDE@", os.fsencode(outside)), path)
    except OSError:
        pass  # a parent is a file or a link: the tree just has fewer entries


def _snapshot(root: Path) -> dict[bytes, tuple[int, int, int]]:
    """Every entry under `root` without following links: its type, size and mtime."""
    found: dict[bytes, tuple[int, int, int]] = {}
    for directory, dirs, files in os.walk(os.fsencode(root)):
        for name in [*dirs, *files]:
            full = os.path.join(directory, name)
            status = os.lstat(full)
            found[full] = (status.st_mode, status.st_size, status.st_mtime_ns)
    return found


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    """Turn a hang (a FIFO opened for reading, say) into a failure instead of a stuck run."""

    def fail(_signum: int, _frame: FrameType | None) -> None:
        raise AssertionError(f"the command hung for {seconds}s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(argv: list[str]) -> tuple[int, str]:
    """main(argv) with a strict UTF-8 stdout, as under PYTHONIOENCODING=utf-8."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.StringIO()
    saved = sys.stdout
    sys.stdout = out
    try:
        with redirect_stderr(err), _alarm(30):
            code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        sys.stdout = saved
    return code, err.getvalue()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(entries=st.lists(ENTRY, max_size=8), command=st.sampled_from(COMMANDS))
# found by this test, kept so they run every time
@example(entries=[([b"x\xfe.py.rej"], "file", b"", "..")], command=COMMANDS[0])
@example(entries=[([b"preprocess.py"], "link", b"", "@OUTSIDE@/missing.txt")], command=COMMANDS[3])
def test_no_project_tree_crashes_the_cli_or_writes_outside(
    entries: list[tuple[list[bytes], str, bytes, str]], command: list[str],
) -> None:
    with tempfile.TemporaryDirectory(prefix="kfp-fuzz-") as scratch, \
            pytest.MonkeyPatch.context() as monkeypatch:
        root = Path(scratch)
        project, outside, home, tmp = (root / n for n in ("p", "outside", "home", "tmp"))
        shutil.copytree(CASES / "base", project)
        for directory in (outside, home, tmp):
            directory.mkdir()
        (outside / "secret.txt").write_text("do not copy\n")
        for entry in entries:
            _make(project, outside, entry)
        before = _snapshot(outside)
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.setenv("TMPDIR", str(tmp))
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))
        monkeypatch.chdir(root)
        code, err = _run([arg.format(project=project) for arg in command])
        assert code != 3 and "internal error" not in err, err[-3000:]
        assert code in (0, 1, 2), (code, err[-3000:])
        assert _snapshot(outside) == before, "something was written outside the project"
        assert sorted(os.listdir(root)) == ["home", "outside", "p", "tmp"]
        assert os.listdir(home) == [] and os.listdir(tmp) == []
