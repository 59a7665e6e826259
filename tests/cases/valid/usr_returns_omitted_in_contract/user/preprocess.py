"""A TFX-style function: no return annotation, which the contract leaves open."""

from typing import Any

import pandas as pd


def preprocess(df: pd.DataFrame, params: dict[str, Any] | None = None):
    return df.dropna()
