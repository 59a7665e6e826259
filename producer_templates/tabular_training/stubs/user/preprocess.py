# Generated from the template's contract by `kfp-templates stubs`; this file is yours.
"""user.preprocess: functions required by the tabular_training template."""

import typing

import pandas


def preprocess(df: pandas.DataFrame, params: dict[str, typing.Any]) -> pandas.DataFrame:
    """Clean the raw table and return the rows to train and test on (target column included).

    Args:
        df: The ingested table.
        params: Pipeline parameters: target_column and seed.

    Returns:
        pandas.DataFrame
    """
    raise NotImplementedError(
        "write user.preprocess:preprocess in user/preprocess.py (see template_pipeline/README.md)"
    )
