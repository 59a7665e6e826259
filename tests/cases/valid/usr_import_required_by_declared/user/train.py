"""numpy is not declared, but pandas (declared) requires it: the image has it."""

import typing

import numpy
from pandas import DataFrame


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    return numpy.mean(df[target])
