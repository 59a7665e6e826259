"""Reference `train`: a logistic regression on every column but the target."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.linear_model import LogisticRegression


def train(df: pd.DataFrame, target: str, *, seed: int = 0) -> Any:
    """Fit a logistic regression predicting `target` from the other columns."""
    model = LogisticRegression(random_state=seed, max_iter=1000)
    model.fit(df.drop(columns=[target]), df[target])
    return model
