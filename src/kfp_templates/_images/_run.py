"""The one way `_images` runs external programs: argv lists, no shell, errors with hints."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kfp_templates._errors import ExternalServiceError, UsageError

_TAIL_LINES = 15
_ERROR_LINES = 5
_ERROR_LINE = re.compile(r"\bERROR:|^Error:")


def run_tool(
    argv: Sequence[str],
    *,
    hint: str,
    stream: bool = False,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    missing_hint: str = "",
    hint_for: Callable[[str], str | None] | None = None,
    on_line: Callable[[str], None] | None = None,
) -> str:
    """Run `argv` and return its standard output.

    Output is captured unless `stream` is set (then it goes to the terminal, for `--verbose`),
    because library code never prints on its own. `hint` goes with a failure, `missing_hint`
    (default: `hint`) with a program that is not installed: the fixes differ. `hint_for`, given
    the failed program's output, may return a more exact hint than `hint`. `on_line` (when not
    streaming) sees each line of its output, both streams merged, as the program writes it: the
    builders' step lines drive the progress display; the merged output is then what is returned.

    Raises:
        UsageError: when the program is not installed.
        ExternalServiceError: when it exits non-zero; the message ends with its last output lines.
    """
    capture = None if stream else subprocess.PIPE
    try:
        if on_line is not None and not stream:
            done = _follow(argv, on_line, env=env, cwd=cwd)
        else:
            done = subprocess.run(
                list(argv), stdout=capture, stderr=capture, text=True, env=env, cwd=cwd, check=False
            )
    except FileNotFoundError as error:
        raise UsageError(f"{argv[0]} is not installed", hint=missing_hint or hint) from error
    if done.returncode != 0:
        output = (done.stderr or "") + (done.stdout or "")
        exact = hint_for(output) if hint_for else None
        raise ExternalServiceError(_failure(argv, done), hint=exact or hint)
    return done.stdout or ""


def _follow(
    argv: Sequence[str],
    on_line: Callable[[str], None],
    *,
    env: Mapping[str, str] | None,
    cwd: Path | None,
) -> subprocess.CompletedProcess[str]:
    """Run `argv`, handing each output line to `on_line` as it comes; killed if we are stopped."""
    lines: list[str] = []
    with subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env=env,
        cwd=cwd,
    ) as child:
        assert child.stdout is not None
        try:
            for line in child.stdout:
                lines.append(line)
                on_line(line.rstrip("\r\n"))
        except BaseException:
            child.kill()  # as subprocess.run does: an interrupted build leaves no builder behind
            raise
    return subprocess.CompletedProcess(list(argv), child.returncode, "".join(lines), "")


def probe(argv: Sequence[str], *, env: Mapping[str, str] | None = None) -> str | None:
    """Standard output of `argv`, or None when it fails or is missing (for existence checks)."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, env=env, check=False)
    except FileNotFoundError:
        return None
    return done.stdout if done.returncode == 0 else None


def _failure(argv: Sequence[str], done: subprocess.CompletedProcess[str]) -> str:
    output = ((done.stdout or "") + (done.stderr or "")).strip().splitlines()
    tail = "\n    ".join(excerpt(output))
    shown = " ".join(argv[:3])
    message = f"`{shown} ...` failed with exit code {done.returncode}"
    return f"{message}:\n    {tail}" if tail else message


def excerpt(lines: Sequence[str]) -> list[str]:
    """The last lines of a failed program's output, led by the `ERROR:` lines above them.

    pip and the builders say what went wrong in an `ERROR:` line, then keep printing (cleanup,
    the builder's own summary), so the tail alone can miss the cause.
    """
    head, tail = lines[:-_TAIL_LINES], lines[-_TAIL_LINES:]
    errors = [line for line in head if _ERROR_LINE.search(line)][-_ERROR_LINES:]
    return [*errors, "...", *tail] if errors else list(tail)
