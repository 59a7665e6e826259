# Generated from the template's contract by `kfp-templates stubs`; this file is yours.
"""user.train: functions required by the tabular_training template."""

import typing

import pandas


def train(df: pandas.DataFrame, target: str, *, seed: int = 0) -> typing.Any:
    """Fit a model predicting `target` from the other columns; it is pickled into a Model
    artifact.

    Args:
        df: Training rows.
        target: Name of the target column.
        seed: See the template's README.

    Returns:
        typing.Any
    """
    raise NotImplementedError(
        "write user.train:train in user/train.py (see template_pipeline/README.md)"
    )
