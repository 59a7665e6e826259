from __future__ import annotations

from typing import Any

import pandas as pd


def preprocess(df: pd.DataFrame, params: dict[str, Any] = {}) -> pd.DataFrame:
    return df.dropna()
