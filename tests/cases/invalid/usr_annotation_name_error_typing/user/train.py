from typing import List

from pandas import DataFrame


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """Only List is imported from typing; `typing` itself is not bound."""
    return List[str]
