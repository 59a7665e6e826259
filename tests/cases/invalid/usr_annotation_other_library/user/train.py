import typing

import polars as pl


def train(df: pl.DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """Return the mean of the target as a trivial model."""
    return df[target].mean()
