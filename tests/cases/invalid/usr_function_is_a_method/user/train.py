import typing

from pandas import DataFrame


class Trainer:
    def train(self, df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
        return None
