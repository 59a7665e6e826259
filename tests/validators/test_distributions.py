"""The `.dist-info` reader that spares validate importing importlib.metadata: it must find what
importlib.metadata finds, and hand over to it wherever the search is not a plain folder walk."""

from __future__ import annotations

import csv
import importlib.metadata
import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kfp_templates.validators import _distributions
from kfp_templates.validators._distributions import top_levels

from helpers import build_file_tree


def _by_importlib(name: str) -> frozenset[str]:
    found = importlib.metadata.distribution(name)
    return _distributions._top_levels_from(found.read_text, found.files)


def test_every_installed_distribution_is_found_where_importlib_metadata_finds_it() -> None:
    names = sorted({dist.metadata["Name"] for dist in importlib.metadata.distributions()})
    assert len(names) > 50  # the dev environment: kfp, pandas, scikit-learn and what they need
    where = {name: _distributions._plain_dist_info(name) for name in names}  # no fallback here
    wrong = {
        name: (str(path), str(importlib.metadata.distribution(name)._path))  # type: ignore[attr-defined]
        for name, path in where.items()
        if str(path) != str(importlib.metadata.distribution(name)._path)  # type: ignore[attr-defined]
    }
    assert wrong == {}
    differ = {name for name in names if top_levels(name) != _by_importlib(name)}
    assert differ == set()


def test_asking_for_one_name_answers_as_the_whole_set_does() -> None:
    """`among` rules a record out by a substring search; for every installed distribution, each
    name it provides, and each name its neighbours provide, the answer is the full set's."""
    names = sorted({dist.metadata["Name"] for dist in importlib.metadata.distributions()})
    provided = {name: top_levels(name) for name in names}
    every_top = sorted(set().union(*provided.values()))
    wrong = {
        (name, top)
        for name in names
        for top in every_top
        if top_levels(name, among=top) != provided[name] & {top}
    }
    assert wrong == set()


def test_record_paths_give_the_names_a_csv_reading_of_every_record_gives() -> None:
    records = [dist.read_text("RECORD") for dist in importlib.metadata.distributions()]
    texts = [text for text in records if text] + [
        'a/b.py,sha256=x,1\n"c,d/e.py",,\ntop.py,,\nskip/,,\n',  # quoted, a folder entry
        "pkg/__init__.py,sha256=x,1\nmod.py,sha256=y,2\npkg-1.0.dist-info/RECORD,,\n",
    ]
    for text in texts:
        rows = [row[0] for row in csv.reader(text.splitlines()) if row]
        fast = frozenset(_distributions._inferred(_distributions._record_paths(text)))
        assert fast == frozenset(_distributions._inferred(rows))


@pytest.mark.parametrize("spelling", ["Scikit_Learn", "scikit.learn", "SCIKIT-LEARN"])
def test_names_are_compared_as_importlib_metadata_normalises_them(spelling: str) -> None:
    assert "sklearn" in top_levels(spelling)


def test_a_missing_distribution_provides_nothing_and_needs_no_importlib_metadata() -> None:
    assert _distributions._plain_dist_info("no-such-distribution-kfp-templates") is None
    assert top_levels("no-such-distribution-kfp-templates") == frozenset()


def _dist_info(root: Path, folder: str, top_level: str) -> None:
    build_file_tree(
        root, {f"{folder}/METADATA": "Name: demo-dist\n", f"{folder}/top_level.txt": top_level}
    )


def test_a_distribution_installed_later_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    assert top_levels("demo-dist") == frozenset()
    _dist_info(tmp_path, "demo_dist-1.0.dist-info", "demo_one\n")
    os.utime(tmp_path, ns=(0, 1))  # a listing cached for one modification time is not reused
    assert top_levels("demo-dist") == {"demo_one"}


def _egg_info_folder(root: Path) -> Path:
    _dist_info(root, "demo_dist-1.0.egg-info", "demo_other\n")
    return root


def _zip_archive(root: Path) -> Path:
    with zipfile.ZipFile(root / "bundle.zip", "w") as bundle:
        bundle.writestr("demo_dist-1.0.dist-info/METADATA", "Name: demo-dist\n")
        bundle.writestr("demo_dist-1.0.dist-info/top_level.txt", "demo_other\n")
    return root / "bundle.zip"


@pytest.mark.parametrize("entry", [_egg_info_folder, _zip_archive], ids=["egg-info", "zip"])
def test_what_is_not_a_dist_info_folder_is_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: Callable[[Path], Path]
) -> None:
    monkeypatch.syspath_prepend(str(entry(tmp_path)))
    with pytest.raises(_distributions._NotPlain):
        _distributions._plain_dist_info("demo-dist")
    assert top_levels("demo-dist") == {"demo_other"}


def test_another_finder_of_distributions_is_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Finder:
        """A meta path finder that also finds distributions, as importlib.metadata asks."""

        @staticmethod
        def find_spec(*_: object) -> None:
            return None

        @staticmethod
        def find_distributions(*_: object) -> list[importlib.metadata.Distribution]:
            return [importlib.metadata.PathDistribution(tmp_path / "demo_dist-2.0.dist-info")]

    _dist_info(tmp_path, "demo_dist-2.0.dist-info", "demo_found\n")
    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    with pytest.raises(_distributions._NotPlain):
        _distributions._plain_dist_info("demo-dist")
    assert top_levels("demo-dist") == {"demo_found"}
