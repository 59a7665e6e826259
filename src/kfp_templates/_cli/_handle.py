"""The one place that turns exceptions into messages and exit codes."""

from __future__ import annotations

import sys
import traceback
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
        if show_traceback:
            traceback.print_exc()
        message = printable(f"internal error: {type(error).__name__}: {error}")
        sys.stderr.write(f"{message}\n  hint: {_BUG_HINT}\n")
        return int(ExitCode.INTERNAL)
