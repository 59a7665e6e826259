from __future__ import annotations

import typing

from pandas import DataFrame


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    return df[target].mean()


class DataFrame:
    """Shadows pandas.DataFrame: the postponed annotation above now means this class."""
