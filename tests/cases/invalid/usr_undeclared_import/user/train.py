import typing

import yaml
from pandas import DataFrame


def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """PyYAML is installed here, but no declared dependency provides `yaml`."""
    return yaml.safe_dump(df.to_dict())
