"""The docs: generated reference pages are current, and the site builds with no warning."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from kfp_templates._cli.main import build_parser
from kfp_templates._rules import all_rules

from reference_pages import GENERATED, generated_pages

ROOT = Path(__file__).resolve().parents[1]
PAGES = generated_pages(ROOT)


@pytest.mark.parametrize("relative", sorted(PAGES))
def test_generated_page_is_current(relative: str) -> None:
    path = ROOT / relative
    assert path.is_file(), f"{relative} is missing: run `python docs/gen_reference.py`"
    assert path.read_text(encoding="utf-8") == PAGES[relative], (
        f"{relative} is stale: run `python docs/gen_reference.py` and commit the result"
    )


def test_error_catalogue_has_every_rule() -> None:
    page = PAGES["docs/reference/errors.md"]
    missing = [rule.id for rule in all_rules() if f"### {rule.id}: {rule.title}" not in page]
    assert not missing


def test_cli_reference_has_every_command() -> None:
    page = PAGES["docs/reference/cli.md"]
    actions = build_parser()._actions
    commands = next(a for a in actions if isinstance(a, argparse._SubParsersAction)).choices
    primary = {id(parser): name for name, parser in reversed(list(commands.items()))}
    missing = [name for name in primary.values() if f"## `{name}`" not in page]
    assert not missing


def test_decision_index_has_every_record() -> None:
    page = PAGES["docs/decision-records.md"]
    records = sorted((ROOT / "docs" / "decisions").glob("*.md"))
    assert all(f"(decisions/{record.name})" in page for record in records)


def test_generated_pages_say_so() -> None:
    assert all(text.startswith(GENERATED) for text in PAGES.values())


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    assert (tmp_path / "site" / "reference" / "errors" / "index.html").is_file()
