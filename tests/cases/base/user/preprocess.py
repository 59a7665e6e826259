from __future__ import annotations

from typing import Any

import pandas as pd


def preprocess(df: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Drop rows with missing values."""
    return df.dropna()
