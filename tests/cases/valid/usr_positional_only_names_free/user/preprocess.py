"""Positional-only parameters may have any names: the pipeline passes them by position."""

from typing import Any

import pandas as pd


def preprocess(frame: pd.DataFrame, options: dict[str, Any] | None, /) -> pd.DataFrame:
    return frame.dropna()
