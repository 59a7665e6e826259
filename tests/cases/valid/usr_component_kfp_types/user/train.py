import typing

from kfp import dsl


def train(df: dsl.Input[dsl.Dataset], target: str, *, seed: int = 0) -> typing.Any:
    """Return the mean of the target as a trivial model."""
    return df[target].mean()
