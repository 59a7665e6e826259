from typing import Any, Union

import pandas as pd


def preprocess(df: pd.DataFrame, params: Union[None, dict[str, Any]] = None) -> pd.DataFrame:
    return df.dropna()
