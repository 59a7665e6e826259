"""Extraction on several cores gives the serial document, in the serial order."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest
import yaml

from kfp_templates._layout import ProjectLayout
from kfp_templates.validators import _parallel_extract
from kfp_templates.validators._parallel_extract import extract_in_parallel, runs
from kfp_templates.validators.extract import (
    ModuleReader,
    _entries,
    extract_interface,
    extraction_ahead,
)
from kfp_templates.validators.whole_project import ValidationResult, validate_project

from helpers import build_file_tree

CASES = Path(__file__).resolve().parents[1] / "cases"

_KINDS = (
    "def f(a: int, /, b: 'pd.X' = 1, *, c: str) -> dict[str, int]:\n    return {}\n",
    "from user.m_{other:03d} import f\n",  # a re-export another worker's run holds
    "def f(:\n",  # a syntax error
    "from json import *\nimport pandas\n",  # a star import; an import for the dependency check
    "class f:\n    pass\n",
)


def _tree(root: Path, count: int) -> dict[str, list[str]]:
    files = {"user/__init__.py": ""}
    for index in range(count):
        other = f"{(index * 7 + 3) % count:03d}"
        source = _KINDS[index % len(_KINDS)].replace("{other:03d}", other)
        files[f"user/m_{index:03d}.py"] = source
    build_file_tree(root, files)
    return {f"user.m_{index:03d}": ["f"] for index in range(count)}


@pytest.mark.parametrize(("items", "count"), [(10, 3), (7, 2), (2, 4), (0, 2), (5, 1)])
def test_runs_are_contiguous_and_cover_everything(items: int, count: int) -> None:
    cut = runs(list(range(items)), count)
    assert [i for run in cut for i in run] == list(range(items))
    assert len(cut) == min(items, count)


@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_document_equals_the_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    wanted = _tree(tmp_path, 60)
    serial_reader = ModuleReader(tmp_path)
    serial = json.dumps(extract_interface(tmp_path, wanted, serial_reader))
    monkeypatch.setattr(_parallel_extract, "MIN_MODULES", 10)
    monkeypatch.setattr(_parallel_extract, "cores", lambda: workers)
    items = list(wanted.items())
    entries = extract_in_parallel(tmp_path, items, _entries, ModuleReader(tmp_path).entries)
    assert entries == ModuleReader(tmp_path).entries(items)  # it ran, and merged in order
    parallel_reader = ModuleReader(tmp_path)
    parallel = json.dumps(extract_interface(tmp_path, wanted, parallel_reader))
    assert parallel == serial  # same entries, same order: findings follow the document
    assert parallel_reader.imports == serial_reader.imports


def test_small_trees_stay_serial(tmp_path: Path) -> None:
    wanted = _tree(tmp_path, 5)
    items = list(wanted.items())
    assert extract_in_parallel(tmp_path, items, _entries, ModuleReader(tmp_path).entries) is None


def test_serial_while_another_thread_runs() -> None:
    import threading  # noqa: PLC0415 - the test's own thread

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert _parallel_extract.cores() == 1
    finally:
        release.set()
        other.join()


def _contract_document(wanted: dict[str, list[str]]) -> dict[str, object]:
    """The part of a raw contract document `extraction_ahead` reads: its functions."""
    functions = [
        {"module": module, "name": name} for module, names in wanted.items() for name in names
    ]
    return {"functions": functions}


@pytest.mark.parametrize(("workers", "run_modules"), [(2, 4), (3, 7), (2, 1000)])
def test_extraction_started_ahead_gives_the_serial_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, run_modules: int
) -> None:
    wanted = _tree(tmp_path, 60)
    serial_reader = ModuleReader(tmp_path)
    serial = json.dumps(extract_interface(tmp_path, wanted, serial_reader))
    monkeypatch.setattr(_parallel_extract, "MIN_MODULES", 10)
    monkeypatch.setattr(_parallel_extract, "RUN_MODULES", run_modules)
    monkeypatch.setattr(_parallel_extract, "cores", lambda: workers)
    ahead = extraction_ahead(tmp_path, _contract_document(wanted))
    assert ahead is not None
    ahead_reader = ModuleReader(tmp_path)
    try:
        document = json.dumps(extract_interface(tmp_path, wanted, ahead_reader, ahead))
    finally:
        ahead.close()
    assert document == serial  # whoever parsed each run, the entries keep the serial order
    assert ahead_reader.imports == serial_reader.imports


def test_extraction_ahead_of_other_modules_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = _tree(tmp_path, 60)
    monkeypatch.setattr(_parallel_extract, "MIN_MODULES", 10)
    monkeypatch.setattr(_parallel_extract, "cores", lambda: 2)
    ahead = extraction_ahead(tmp_path, _contract_document(wanted))
    assert ahead is not None
    fewer = list(wanted.items())[:-1]
    assert ahead.take(fewer, ModuleReader(tmp_path).entries) is None  # and its workers stopped
    ahead.close()


@pytest.mark.parametrize(
    "document",
    [[], {"functions": "x"}, {"functions": [{"module": "user.a"}]}, {"functions": [1]}],
    ids=["not-a-mapping", "functions-not-a-list", "no-name", "entry-not-a-mapping"],
)
def test_a_raw_document_it_cannot_read_starts_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: object
) -> None:
    monkeypatch.setattr(_parallel_extract, "MIN_MODULES", 0)
    monkeypatch.setattr(_parallel_extract, "cores", lambda: 2)
    assert extraction_ahead(tmp_path, document) is None


def test_small_trees_start_nothing_ahead(tmp_path: Path) -> None:
    wanted = _tree(tmp_path, 5)
    assert extraction_ahead(tmp_path, _contract_document(wanted)) is None


def _large_project(root: Path, modules: int, mistake: str = "") -> ProjectLayout:
    """tests/cases/base with `modules` more modules, each required by the contract; a
    `mistake` (a key the meta-schema refuses) in the last function when asked for."""
    shutil.copytree(CASES / "base", root)
    contract = yaml.safe_load((root / "template_pipeline" / "contract.yaml").read_text())
    for index in range(modules):
        source = _KINDS[index % 2].replace("{other:03d}", f"{(index * 7 + 3) % modules:03d}")
        (root / "user" / f"m_{index:03d}.py").write_text(source)
        entry = {"module": f"user.m_{index:03d}", "name": "f", "parameters": []}
        contract["functions"].append(entry)
    if mistake:
        contract["functions"][-1][mistake] = True
    (root / "template_pipeline" / "contract.yaml").write_text(json.dumps(contract))
    return ProjectLayout(root, root / "template_pipeline" / "contract.yaml", root)


def _findings(result: ValidationResult) -> list[tuple[str, str, str]]:
    return [(f.rule.id, f.message, str(f.location)) for f in result.findings]


def test_validate_of_a_large_tree_finds_what_serial_validate_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = _large_project(tmp_path / "p", 240)
    monkeypatch.setattr(_parallel_extract, "cores", lambda: 2)
    parallel = validate_project(layout)
    monkeypatch.setattr(_parallel_extract, "cores", lambda: 1)
    serial = validate_project(layout)
    assert _findings(parallel) == _findings(serial)
    assert {f.rule.id for f in serial.findings} == {"USR118"}  # parameters the contract lacks


def test_validate_of_a_large_tree_with_a_broken_contract_stops_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = _large_project(tmp_path / "p", 240, mistake="no_such_key")
    monkeypatch.setattr(_parallel_extract, "cores", lambda: 2)
    before = set(multiprocessing.active_children())
    result = validate_project(layout)
    assert result.contract is None
    assert [f.rule.id for f in result.findings] == ["CON102"]  # the meta-schema's finding
    assert set(multiprocessing.active_children()) <= before  # the workers started ahead are gone
