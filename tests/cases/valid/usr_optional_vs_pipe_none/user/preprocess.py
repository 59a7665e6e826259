from typing import Any, Dict, Optional

import pandas as pd


def preprocess(df: pd.DataFrame, params: Optional[Dict[str, Any]] = None) -> pd.DataFrame:
    return df.dropna()
