from typing import Dict, Optional

import pandas as pd




def preprocess(df: pd.DataFrame, params: Optional[Dict[str, int]] = None) -> pd.DataFrame:
    return df.dropna()
