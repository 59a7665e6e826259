import typing

import xgboost_not_installed_anywhere as xgb
from pandas import DataFrame


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """Nothing installed says which distribution provides this module: a warning."""
    return xgb.train(df, target)
