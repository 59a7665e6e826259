"""Reference `load_model` and `predict` for a pickled scikit-learn classifier."""

from __future__ import annotations

import pickle
from typing import Any

import pandas as pd


def load_model(path: str) -> Any:
    """Unpickle the model file the Model artifact points at."""
    with open(path, "rb") as handle:
        return pickle.load(handle)


def predict(model: Any, df: pd.DataFrame) -> pd.Series:
    """One predicted class per row of `df`."""
    return pd.Series(model.predict(df), index=df.index, name="prediction")
