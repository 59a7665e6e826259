"""With postponed annotations a name imported after the def is what they mean."""

from __future__ import annotations

import typing


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    return df[target].mean()


from pandas import DataFrame  # noqa: E402
