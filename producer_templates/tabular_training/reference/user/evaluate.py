"""Reference `evaluate`: accuracy and F1 on the held-out rows."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score


def evaluate(model: Any, df: pd.DataFrame, target: str) -> dict[str, float]:
    """Score `model` on `df`; the pipeline gates on the metric named in config (`accuracy`)."""
    predicted = model.predict(df.drop(columns=[target]))
    return {
        "accuracy": float(accuracy_score(df[target], predicted)),
        "f1": float(f1_score(df[target], predicted, average="macro")),
    }
