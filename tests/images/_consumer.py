"""A small consumer project for image tests and the build benchmark: user code imports without
pandas, and the only dependency besides the tool is PyYAML, so wheels download fast."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import CASES, build_file_tree

PREPROCESS = '''\
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def preprocess(df: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Drop rows with missing values."""
    return df.dropna()
'''

TRAIN = '''\
from __future__ import annotations

import typing

if typing.TYPE_CHECKING:
    from pandas import DataFrame


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """Return the mean of the target as a trivial model."""
    return df[target].mean()
'''

PYPROJECT = """\
[project]
name = "image-test-consumer"
version = "0.0.1"
dependencies = ["pyyaml>=6", "kfp-templates"]
"""


def make_project(root: Path) -> Path:
    """tests/cases/base with import-light user code and a tiny pyproject."""
    shutil.copytree(CASES / "base", root)
    return build_file_tree(
        root,
        {"user/preprocess.py": PREPROCESS, "user/train.py": TRAIN, "pyproject.toml": PYPROJECT},
    )
