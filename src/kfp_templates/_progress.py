"""Progress of long work (build, `run --local`, `submit --wait`) on standard error.

The one place that decides how progress looks. Library code reports through the small
`Progress` protocol (phases, steps, states, notes) and never prints; a command opens a reporter
with `reporting(command)`. On a terminal, rich draws live spinners and elapsed times; elsewhere
(a pipe, a file, CI, `TERM=dumb`, or while a subprocess writes to the terminal itself) each event
is one plain line, with no carriage return and no ANSI escape, that a log keeps readable. rich
is imported only when a terminal is attached, so `import kfp_templates` and `validate` never
load it. Progress never touches standard output: what a command prints there (an image
reference, JSON) stays exactly that (decision 44).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Protocol, TextIO

from kfp_templates._records import record

_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")  # ANSI CSI: colours, cursor moves
#: Values of `CI` that mean "not CI" (some tools set CI=false to turn CI behaviour off).
_NOT_CI = ("", "0", "false", "no")


class Progress(Protocol):
    """What long work reports; the command that started it chooses how it is shown."""

    def phase(self, name: str, detail: str = "") -> AbstractContextManager[None]:
        """A stage of the work (`resolving`, `layers`, `push`) for the duration of the block."""
        ...

    def advance(self, detail: str, done: int | None = None, total: int | None = None) -> None:
        """A step inside the current phase: `done` of `total` when counted, with what it does."""
        ...

    def note(self, message: str) -> None:
        """A one-off fact worth a line (an image already pushed, a lock held by another build)."""
        ...

    def step_started(self, step: str) -> None:
        """A pipeline step began."""
        ...

    def step_finished(self, step: str, status: str, seconds: float) -> None:
        """A pipeline step ended with `status` (`SUCCESS` or kfp's failure status)."""
        ...

    def state(self, state: str) -> None:
        """A followed run entered `state` (called only on a change)."""
        ...


class Silent:
    """Reports nothing: the default of library functions called without a reporter."""

    def phase(self, name: str, detail: str = "") -> AbstractContextManager[None]:
        """No display."""
        return nullcontext()

    def advance(self, detail: str, done: int | None = None, total: int | None = None) -> None:
        """No display."""

    def note(self, message: str) -> None:
        """No display."""

    def step_started(self, step: str) -> None:
        """No display."""

    def step_finished(self, step: str, status: str, seconds: float) -> None:
        """No display."""

    def state(self, state: str) -> None:
        """No display."""


SILENT: Progress = Silent()


@record
class Mode:
    """How progress is shown: live on a terminal (`live`), and whether in colour."""

    live: bool
    colour: bool


def choose_mode(stream: TextIO, env: Mapping[str, str], *, passthrough: bool = False) -> Mode:
    """Live only on a terminal outside CI, unless a subprocess writes to it (`passthrough`).

    `NO_COLOR` (https://no-color.org) keeps the live display and drops its colours.
    """
    isatty = getattr(stream, "isatty", None)
    terminal = bool(isatty is not None and isatty())
    in_ci = env.get("CI", "").strip().lower() not in _NOT_CI
    live = terminal and not in_ci and env.get("TERM") != "dumb" and not passthrough
    return Mode(live=live, colour=live and not env.get("NO_COLOR"))


@contextmanager
def reporting(
    command: str,
    *,
    stream: TextIO | None = None,
    env: Mapping[str, str] | None = None,
    passthrough: bool = False,
) -> Iterator[Progress]:
    """A reporter for `command` on `stream` (standard error), closed when the block ends.

    Args:
        command: Leads every plain line (`build: ...`).
        stream: Where progress goes; standard error unless a test passes another.
        env: The environment to judge CI and TERM by; `os.environ` by default.
        passthrough: A subprocess writes to the terminal too (`--verbose`): plain lines, since a
            live display would be torn by output it did not draw.
    """
    out = stream if stream is not None else sys.stderr
    mode = choose_mode(out, os.environ if env is None else env, passthrough=passthrough)
    if not mode.live:
        yield PlainProgress(command, out)
        return
    live = LiveProgress(out, colour=mode.colour, redirect_stdout=_is_terminal(sys.stdout))
    with live.running():
        yield live


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


class PlainProgress:
    """One line per event, `COMMAND: WHAT`, flushed at once (a log shows it as it happens)."""

    def __init__(self, command: str, stream: TextIO) -> None:
        """Write lines led by `command` to `stream`."""
        self._command = command
        self._stream = stream
        self._phase = ""

    @contextmanager
    def phase(self, name: str, detail: str = "") -> Iterator[None]:
        """One line when the phase starts; its end shows as the next line."""
        self._phase = name
        self._line(describe_phase(name, detail))
        try:
            yield
        finally:
            self._phase = ""

    def advance(self, detail: str, done: int | None = None, total: int | None = None) -> None:
        """One line per step of the phase."""
        self._line(describe_advance(self._phase, detail, done, total))

    def note(self, message: str) -> None:
        """The message as it is."""
        self._line(message)

    def step_started(self, step: str) -> None:
        """`STEP: started`."""
        self._line(f"{step}: started")

    def step_finished(self, step: str, status: str, seconds: float) -> None:
        """`STEP: succeeded in 1.2s` or `STEP: FAILURE after 1.2s`."""
        self._line(describe_step_end(step, status, seconds))

    def state(self, state: str) -> None:
        """`state: RUNNING`."""
        self._line(f"state: {state}")

    def _line(self, text: str) -> None:
        self._stream.write(f"{self._command}: {plain_text(text)}\n")
        self._stream.flush()


def describe_phase(name: str, detail: str) -> str:
    """`layers: FROM base` or just `layers`: the words of a phase, live or plain."""
    return f"{name}: {detail}" if detail else name


def describe_advance(phase: str, detail: str, done: int | None, total: int | None) -> str:
    """`layers: 3/9: RUN pip install ...`; without a count, `push: copying blob ...`."""
    count = f"{done}/{total}: " if done is not None and total is not None else ""
    return f"{phase}: {count}{detail}" if phase else f"{count}{detail}"


def describe_step_end(step: str, status: str, seconds: float) -> str:
    """The words of a finished step."""
    if status == "SUCCESS":
        return f"{step}: succeeded in {seconds:.1f}s"
    return f"{step}: {status} after {seconds:.1f}s"


def plain_text(text: str) -> str:
    """`text` on one line without escapes or control characters, which a builder's output can
    carry and which would move the cursor of the terminal showing a log."""
    text = _ESCAPE.sub("", text)
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


class LiveProgress:
    """rich's live display: a row per phase, step or state, spinning while it lasts, then marked.

    Lines other code writes to standard error while it runs (warnings, notes) are drawn above
    it by rich; so is standard output, but only when that is the same terminal: a pipe keeps
    exactly what the command writes.
    """

    def __init__(self, stream: TextIO, *, colour: bool, redirect_stdout: bool) -> None:
        """Draw on `stream`, a terminal (rich is imported here, and only here)."""
        # rich only here: `validate` and `import kfp_templates` never pay for it
        from rich.console import Console  # noqa: PLC0415 - lazy on purpose
        from rich.progress import Progress as Display  # noqa: PLC0415 - lazy on purpose
        from rich.progress import (  # noqa: PLC0415 - lazy on purpose
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        unicode = "utf" in (getattr(stream, "encoding", "") or "").lower()
        self._marks = _UNICODE_MARKS if unicode else _ASCII_MARKS
        console = Console(
            file=stream,
            force_terminal=True,
            force_interactive=True,
            no_color=not colour,
            highlight=False,
        )
        self._display = Display(
            SpinnerColumn("dots" if unicode else "line", finished_text=""),
            TextColumn("{task.fields[mark]}"),
            TextColumn("{task.description}", markup=False),
            TimeElapsedColumn(),
            console=console,
            redirect_stdout=redirect_stdout,
        )
        self._phase: tuple[str, Any] | None = None
        self._steps: dict[str, Any] = {}
        self._state: Any = None

    @contextmanager
    def running(self) -> Iterator[None]:
        """Show the display for the block; rows still open at its end are closed as it ended."""
        self._display.start()
        try:
            yield
        except BaseException:
            self._close_open("failed")
            raise
        else:
            self._close_open("left")
        finally:
            self._display.stop()

    @contextmanager
    def phase(self, name: str, detail: str = "") -> Iterator[None]:
        """A spinning row for the phase, marked done or failed when the block ends."""
        task = self._display.add_task(describe_phase(name, detail), total=None, mark="")
        self._phase = (name, task)
        try:
            yield
        except BaseException:
            self._finish(task, "failed")
            raise
        else:
            self._finish(task, "done")
        finally:
            self._phase = None

    def advance(self, detail: str, done: int | None = None, total: int | None = None) -> None:
        """The phase's row says which step it is at."""
        if self._phase is None:
            self.note(describe_advance("", detail, done, total))
            return
        name, task = self._phase
        self._display.update(task, description=describe_advance(name, detail, done, total))

    def note(self, message: str) -> None:
        """A line above the display."""
        self._display.console.print(plain_text(message), markup=False, highlight=False)

    def step_started(self, step: str) -> None:
        """A spinning row for the step."""
        self._steps[step] = self._display.add_task(step, total=None, mark="")

    def step_finished(self, step: str, status: str, seconds: float) -> None:
        """The step's row marked, with how long it took."""
        task = self._steps.pop(step, None)
        if task is None:
            task = self._display.add_task(step, total=None, mark="")
        self._display.update(task, description=describe_step_end(step, status, seconds))
        self._finish(task, "done" if status == "SUCCESS" else "failed")

    def state(self, state: str) -> None:
        """The previous state's row stops; a new row spins for this one."""
        if self._state is not None:
            self._finish(self._state, "left")
        self._state = self._display.add_task(f"state: {state}", total=None, mark="")

    def _finish(self, task: Any, how: str) -> None:
        self._display.update(task, total=1, completed=1, mark=self._marks[how])

    def _close_open(self, how: str) -> None:
        for task in self._display.tasks:
            if not task.finished:
                self._finish(task.id, how)


_UNICODE_MARKS = {"done": "[green]✓[/]", "failed": "[red]✗[/]", "left": "•"}
_ASCII_MARKS = {"done": "[green]ok[/]", "failed": "[red]x[/]", "left": "-"}
