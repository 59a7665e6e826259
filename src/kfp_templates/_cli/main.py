"""Entry point: parse arguments, dispatch to one subcommand module, turn errors into exit codes.

Each module in `kfp_templates._cli.commands` defines `register(subparsers)`, which adds its
parser and sets `handler=run` (a function `run(args) -> int`). Only the module of the command
being run is imported: the others appear in `--help` through `commands/_index.py`, their names,
aliases and one-line help written down (a test fails when it drifts from the modules), so
`validate` never pays for what `submit` or `build` import at their top.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from kfp_templates._cli._handle import handle_errors
from kfp_templates._cli.commands._index import COMMANDS
from kfp_templates._errors import ExitCode
from kfp_templates._version import __version__

_COMMANDS_PACKAGE = "kfp_templates._cli.commands"


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, measuring the terminal as `shutil.get_terminal_size` does.

    argparse imports `shutil` for that measurement whenever a parser is built (2 ms of every
    validate run); `os` answers the same question.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)


def _terminal_columns() -> int:
    """`$COLUMNS` when it is a positive number, else the terminal's width, else 80."""
    with contextlib.suppress(KeyError, ValueError):
        if (columns := int(os.environ["COLUMNS"])) > 0:
            return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code (2) and a hint, never a traceback."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n  hint: run `{self.prog} --help`\n")
        raise SystemExit(ExitCode.BAD_INPUT)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv`, only the command it names is imported and registered.

    Without `argv` every command module is imported (the reference docs read all parsers). When
    `argv` names no command (`--help`, a typo), the others are listed by name and help only,
    from the index; when it names one, the others are not built at all: nothing shows them, and
    each costs an `ArgumentParser` (about 0.3 ms).
    """
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
    chosen = None if argv is None else _chosen_module(argv)
    for module, (name, aliases, help_text) in COMMANDS.items():
        if argv is None or module == chosen:
            importlib.import_module(f"{_COMMANDS_PACKAGE}.{module}").register(subparsers)
        elif chosen is None:  # listed in `--help`: its own module is imported when it is chosen
            subparsers.add_parser(name, aliases=list(aliases), help=help_text)
    return parser


def _chosen_module(argv: Sequence[str]) -> str | None:
    """The command module the first positional argument names (global options take no value)."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    for module, (name, aliases, _) in COMMANDS.items():
        if first == name or first in aliases:
            return module
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    _never_fail_on_output_encoding()
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
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
