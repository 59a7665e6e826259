import sys
import typing

from pandas import DataFrame

match sys.platform:
    case "linux":

        def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
            return df[target].mean()
