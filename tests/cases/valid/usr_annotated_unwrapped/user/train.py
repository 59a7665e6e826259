"""ZenML-style outputs: `Annotated[X, metadata]` means X to Python and to callers."""

from typing import Annotated, Any

from pandas import DataFrame


def train(
    df: Annotated[DataFrame, "the preprocessed table"], target: str, *, seed: int = 0
) -> Annotated[Any, "model"]:
    return df[target].mean()
