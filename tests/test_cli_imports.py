"""What the CLI imports: only the chosen command's module, and for a valid project's `validate`
nothing heavy (no jsonschema: the fast check decides, jsonschema only explains failures)."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from kfp_templates._cli import commands
from kfp_templates._cli.commands._index import COMMANDS
from kfp_templates._cli.main import _Parser, _terminal_columns, build_parser

ROOT = Path(__file__).resolve().parents[1]
VALID_PROJECTS = sorted((ROOT / "producer_templates").glob("*/contract.yaml"))
# packaging imports logging and subprocess; google.cloud.aiplatform is kfp's submission client;
# yaml: the bundled contracts and configs are in the subset `_yaml_simple` reads (decision 61);
# dataclasses (and the inspect it brings): records are `_records.record`; typing: its names are
# imported under `if TYPE_CHECKING:`, with the constant defined as False (decision 62)
NEVER_ON_THE_VALID_PATH = (
    "jsonschema",
    "referencing",
    "kfp",
    "rich",
    "packaging",
    "yaml",
    "dataclasses",
    "inspect",
    "typing",
)


def _registered(module: str) -> tuple[str, tuple[str, ...], str]:
    """What a command module's own `register` adds: name, aliases, one-line help."""
    parser = _Parser(prog="kfp-templates")
    subparsers = parser.add_subparsers(parser_class=_Parser)
    importlib.import_module(f"{commands.__name__}.{module}").register(subparsers)
    (choice,) = subparsers._choices_actions
    aliases = tuple(name for name in subparsers.choices if name != choice.dest)
    return choice.dest, aliases, str(choice.help)


_LIST_MODULES = """
import json, sys
from kfp_templates._cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
sys.stderr.write(json.dumps([code, sorted(sys.modules)]))
"""


def _imported(*args: str) -> set[str]:
    """Module names a fresh CLI process running `kfp-templates ARGS` has imported at its end."""
    done = subprocess.run(
        [sys.executable, "-c", _LIST_MODULES, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    code, modules = json.loads(done.stderr.splitlines()[-1])
    assert code == 0, done.stdout + done.stderr
    return set(modules)


def test_command_index_matches_the_modules() -> None:
    modules = sorted(
        info.name for info in pkgutil.iter_modules(commands.__path__) if info.name[0] != "_"
    )
    actual = {module: _registered(module) for module in modules}
    assert actual == COMMANDS, f"update kfp_templates/_cli/commands/_index.py to:\n{actual!r}"


def test_full_parser_registers_every_command() -> None:
    actions = build_parser()._actions
    choices = next(a for a in actions if isinstance(a, argparse._SubParsersAction)).choices
    assert all(choices[name].description for name, _, _ in COMMANDS.values())  # not a stub


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"], ["--version"]])
def test_help_imports_no_other_command(argv: list[str]) -> None:
    chosen = {f"{commands.__name__}.validate"} if "validate" in argv else set()
    loaded = {name for name in _imported(*argv) if name.startswith(f"{commands.__name__}.")}
    assert loaded - {f"{commands.__name__}._index"} == chosen


@pytest.mark.parametrize("contract", VALID_PROJECTS, ids=lambda p: p.parent.name)
def test_validate_of_a_valid_project_imports_nothing_heavy(contract: Path) -> None:
    loaded = _imported("validate", str(contract.parent))
    heavy = sorted(
        name
        for name in loaded
        if name.split(".")[0] in NEVER_ON_THE_VALID_PATH or name.startswith("google.cloud.ai")
    )
    assert heavy == []
    assert "importlib.metadata" not in loaded  # the declared distributions' records read directly
    commands_loaded = {name for name in loaded if name.startswith(f"{commands.__name__}.")}
    assert commands_loaded == {f"{commands.__name__}._index", f"{commands.__name__}.validate"}


@pytest.mark.parametrize("columns", ["50", "132", "", "wide", "-3", "0", None])
def test_help_measures_the_terminal_as_shutil_does(
    columns: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI's formatter avoids importing shutil; it must give the width shutil would."""
    import shutil  # noqa: PLC0415 - the reference the CLI avoids importing

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert _terminal_columns() == shutil.get_terminal_size().columns
