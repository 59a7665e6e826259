"""`kfp_templates.contract`'s public names: all importable, the jsonschema-backed ones lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kfp_templates import contract


@pytest.mark.parametrize("name", contract.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(contract, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        contract.no_such_name  # noqa: B018 - the attribute access is the test


def test_cli_start_does_not_import_jsonschema_or_yaml() -> None:
    """The full parser imports every command module (one names `Contract`); even loading a
    contract leaves jsonschema to explaining failures (decision 16)."""
    code = (
        "import sys\n"
        "from kfp_templates._cli.main import build_parser\n"
        "build_parser()\n"
        "import kfp_templates.contract\n"
        "heavy = sorted(m for m in ('jsonschema', 'yaml') if m in sys.modules)\n"
        "assert heavy == [], heavy\n"
        "from kfp_templates.contract import load_contract\n"
        "assert 'jsonschema' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
