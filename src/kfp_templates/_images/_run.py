"""The one way `_images` runs external programs: argv lists, no shell, errors with hints."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from kfp_templates._errors import ExternalServiceError, UsageError

_TAIL_LINES = 15


def run_tool(
    argv: Sequence[str],
    *,
    hint: str,
    stream: bool = False,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    missing_hint: str = "",
) -> str:
    """Run `argv` and return its standard output.

    Output is captured unless `stream` is set (then it goes to the terminal, for `--verbose`),
    because library code never prints on its own. `hint` goes with a failure, `missing_hint`
    (default: `hint`) with a program that is not installed: the fixes differ.

    Raises:
        UsageError: when the program is not installed.
        ExternalServiceError: when it exits non-zero; the message ends with its last output lines.
    """
    capture = None if stream else subprocess.PIPE
    try:
        done = subprocess.run(
            list(argv), stdout=capture, stderr=capture, text=True, env=env, cwd=cwd, check=False
        )
    except FileNotFoundError as error:
        raise UsageError(f"{argv[0]} is not installed", hint=missing_hint or hint) from error
    if done.returncode != 0:
        raise ExternalServiceError(_failure(argv, done), hint=hint)
    return done.stdout or ""


def probe(argv: Sequence[str], *, env: Mapping[str, str] | None = None) -> str | None:
    """Standard output of `argv`, or None when it fails or is missing (for existence checks)."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, env=env, check=False)
    except FileNotFoundError:
        return None
    return done.stdout if done.returncode == 0 else None


def _failure(argv: Sequence[str], done: subprocess.CompletedProcess[str]) -> str:
    output = ((done.stderr or "") + (done.stdout or "")).strip().splitlines()
    tail = "\n    ".join(output[-_TAIL_LINES:])
    shown = " ".join(argv[:3])
    message = f"`{shown} ...` failed with exit code {done.returncode}"
    return f"{message}:\n    {tail}" if tail else message
