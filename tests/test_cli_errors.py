"""The one exception handler: exit codes and messages, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kfp_templates._cli._handle import handle_errors
from kfp_templates._cli.main import main
from kfp_templates._errors import ConsumerError, ContractError, UsageError


def _raise(error: BaseException) -> int:
    raise error


@pytest.mark.parametrize(
    ("error", "code", "text"),
    [
        (
            UsageError("bad path", hint="pass a dir", location="x"),
            2,
            "x: error: bad path\n  hint: pass a dir",
        ),
        (ContractError("broken"), 2, "error: broken"),
        (ConsumerError("failed step"), 1, "error: failed step"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (ValueError("boom"), 3, "internal error: ValueError: boom"),
    ],
)
def test_errors_become_exit_codes(
    error: BaseException, code: int, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert handle_errors(lambda: _raise(error)) == code
    err = capsys.readouterr().err
    assert text in err
    assert "Traceback" not in err


def test_traceback_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    handle_errors(lambda: _raise(ValueError("boom")), show_traceback=True)
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--no-such-flag"], ["no-such-command"], []])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as stop:
        code = int(stop.code or 0)
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kfp_templates", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith("kfp-templates ")


def _class_with_a_descriptor_interrupted() -> int:
    """Ctrl-C while a library creates a class: Python 3.11 wraps the KeyboardInterrupt raised in
    `__set_name__` in a RuntimeError (seen while google-auth was importing)."""

    class Field:
        def __set_name__(self, owner: type, name: str) -> None:
            raise KeyboardInterrupt

    try:
        type("Config", (), {"field": Field()})
    except KeyboardInterrupt:  # Python 3.12+ no longer wraps it
        raise RuntimeError("Error calling __set_name__") from KeyboardInterrupt()
    return 0


def test_ctrl_c_wrapped_by_python_is_still_an_interrupt(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert handle_errors(_class_with_a_descriptor_interrupted) == 130
    assert capsys.readouterr().err == "interrupted\n"
