"""Extraction on several cores gives the serial document, in the serial order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfp_templates.validators import _parallel_extract
from kfp_templates.validators._parallel_extract import extract_in_parallel, runs
from kfp_templates.validators.extract import ModuleReader, _entries, extract_interface

from helpers import build_file_tree

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
