from typing import Any

from pandas import DataFrame as DF


def train(df: DF, target: str, *, seed: int = 0) -> Any:
    """Return the mean of the target as a trivial model."""
    return df[target].mean()
