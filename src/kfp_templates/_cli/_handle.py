"""The one place that turns exceptions into messages and exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable

from kfp_templates._errors import ExitCode, KfpTemplatesError
from kfp_templates._report import printable

_BUG_HINT = (
    "this is a bug in kfp-templates; rerun with --traceback and report the output to the "
    "kfp-templates maintainers"
)


def handle_errors(command: Callable[[], int], *, show_traceback: bool = False) -> int:
    """Run `command`, printing known errors briefly and unknown ones as bugs."""
    try:
        return int(command())
    except KfpTemplatesError as error:
        sys.stderr.write(printable(error.render()) + "\n")
        return int(error.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as error:
        if _caused_by_ctrl_c(error):
            sys.stderr.write("interrupted\n")
            return int(ExitCode.INTERRUPTED)
        if show_traceback:
            import traceback  # noqa: PLC0415 - only for --traceback

            traceback.print_exc()
        message = printable(f"internal error: {type(error).__name__}: {error}")
        sys.stderr.write(f"{message}\n  hint: {_BUG_HINT}\n")
        return int(ExitCode.INTERNAL)


def _caused_by_ctrl_c(error: BaseException) -> bool:
    """Whether a KeyboardInterrupt lies behind `error`.

    Python wraps some exceptions raised while a class is created (`__set_name__`, on 3.11) in a
    RuntimeError: Ctrl-C while a library imports then arrives as that, and is still Ctrl-C.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
