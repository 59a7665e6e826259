"""Follow kfp.local's log to know which step runs, how long each took and what a failure said."""

from __future__ import annotations

import re
import textwrap
import time

_START = re.compile(r"Executing task '([^']+)'")
_END = re.compile(r"Task '([^']+)' finished with status (\w+)")
_TRACEBACK = "Traceback (most recent call last):"
# Frames of the machinery between kfp.local and the user's function; consumers cannot act on them.
_MACHINERY = ("<frozen runpy>", "/kfp/dsl/executor_main.py", "/kfp/dsl/executor.py")


class StepLog:
    """What the log said so far. One instance per run; fed one line at a time."""

    def __init__(self, setup_step: str) -> None:
        """Start in the setup phase, named `setup_step` in timeout messages."""
        self.current = setup_step
        self.in_step = False
        self.durations: dict[str, float] = {}
        self.statuses: dict[str, str] = {}
        self.last_failed = ""
        self._started = time.monotonic()
        self._lines: dict[str, list[str]] = {}
        self._all: list[str] = []

    def feed(self, line: str) -> None:
        """Take one log line (ANSI colours already removed)."""
        self._all.append(line)
        start, end = _START.search(line), _END.search(line)
        if start:
            self.current, self._started = start.group(1), time.monotonic()
            self.in_step = True
            self._lines[self.current] = []
        elif end:
            self.durations[end.group(1)] = time.monotonic() - self._started
            self.statuses[end.group(1)] = end.group(2)
            if end.group(2) != "SUCCESS":
                self.last_failed = end.group(1)
            self.current, self._started = "(between steps)", time.monotonic()
            self.in_step = False
        elif self.current in self._lines:
            self._lines[self.current].append(line)

    def running_for(self) -> float:
        """Seconds since the current step (or phase) started."""
        return time.monotonic() - self._started

    def traceback_of(self, step: str) -> str:
        """The last traceback `step` printed, without kfp's own frames; "" when none."""
        lines = self._lines.get(step, [])
        starts = [i for i, line in enumerate(lines) if line.strip() == _TRACEBACK]
        if not starts:
            return ""
        block = textwrap.dedent("\n".join(lines[starts[-1] :])).strip().splitlines()
        return "\n".join(_without_machinery(block))

    def tail(self, count: int = 30) -> str:
        """The last `count` lines, for failures that happened outside any step."""
        return "\n".join(self._all[-count:])


def _without_machinery(block: list[str]) -> list[str]:
    kept: list[str] = []
    skipping = False
    for line in block:
        if line.startswith('  File "'):
            skipping = any(marker in line for marker in _MACHINERY)
        elif not line.startswith("    "):
            skipping = False
        if not skipping:
            kept.append(line)
    return kept
