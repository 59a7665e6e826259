"""Entry point: parse arguments, dispatch to one subcommand module, turn errors into exit codes.

Each module in `kfp_templates._cli.commands` defines `register(subparsers)`, which adds its
parser and sets `handler=run` (a function `run(args) -> int`). Modules are found by listing the
package, so adding a command touches no shared file. Command modules keep heavy imports (kfp,
aiplatform, copier) inside their `run` functions so that `--help` and `validate` stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from kfp_templates._cli import commands
from kfp_templates._cli._handle import handle_errors
from kfp_templates._errors import ExitCode
from kfp_templates._version import __version__


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code (2) and a hint, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n  hint: run `{self.prog} --help`\n")
        raise SystemExit(ExitCode.BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand registered."""
    parser = _Parser(
        prog="kfp-templates",
        description="Validate, compile, run, build and submit KFP template pipelines.",
        epilog="Exit codes: 0 ok, 1 findings or a failed run, 2 bad input or usage, "
        "3 internal error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--traceback", action="store_true", help="show Python tracebacks of internal errors"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not module_info.name.startswith("_"):
            module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
            module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    _never_fail_on_output_encoding()
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return ExitCode.BAD_INPUT
    return handle_errors(lambda: args.handler(args), show_traceback=args.traceback)


def _never_fail_on_output_encoding() -> None:
    """Paths from the file system may hold bytes no encoding can print (PEP 383 surrogates), and
    stdout may be strict (`PYTHONIOENCODING=utf-8`, a C locale): such characters are printed as
    escapes rather than ending the command with UnicodeEncodeError. Reports make them readable
    first (`_report.printable`); this is the net under every other line a command prints."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # a closed or detached stream has nothing to protect
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
