import typing

import pandas as pd

Frame = pd.DataFrame


def train(df: Frame, target: str, *, seed: int = 0) -> typing.Any:
    """Return the mean of the target as a trivial model."""
    return df[target].mean()
