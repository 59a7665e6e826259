import typing

from pandas import DataFrame


def _make_trainer() -> typing.Any:
    def fit(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
        return df[target].mean()

    return fit


train = _make_trainer()
