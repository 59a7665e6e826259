# -*- coding: latin-1 -*-
"""A PEP 263 coding comment: Python decodes this file as Latin-1 (café)."""
import typing

from pandas import DataFrame


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """Return the mean of the target as a trivial model."""
    return df[target].mean()
