"""Reference `preprocess`: drop incomplete rows and standardise the feature columns."""

from __future__ import annotations

from typing import Any

import pandas as pd


def preprocess(df: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """Drop rows with missing values and scale every feature to mean 0, standard deviation 1."""
    target = params["target_column"]
    clean = df.dropna().reset_index(drop=True)
    features = [column for column in clean.columns if column != target]
    spread = clean[features].std(ddof=0).replace(0, 1)
    clean[features] = (clean[features] - clean[features].mean()) / spread
    return clean
