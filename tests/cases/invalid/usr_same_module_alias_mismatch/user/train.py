import typing

from pandas import DataFrame


def _fit(frame: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """`train = _fit` hands callers this function: its first parameter is not `df`."""
    return frame[target].mean()


train = _fit
