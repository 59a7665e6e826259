import typing

from pandas import DataFrame


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """Return the mean of the target as a trivial model."""
    return df[target].mean()


del train
