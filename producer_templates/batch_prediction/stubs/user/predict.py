# Generated from the template's contract by `kfp-templates stubs`; this file is yours.
"""user.predict: functions required by the batch_prediction template."""

import typing

import pandas


def load_model(path: str) -> typing.Any:
    """Load the model from the local path of the Model artifact (a file or a directory).

    Args:
        path: Local path of the model artifact.

    Returns:
        typing.Any
    """
    raise NotImplementedError(
        "write user.predict:load_model in user/predict.py (see template_pipeline/README.md)"
    )


def predict(model: typing.Any, df: pandas.DataFrame) -> pandas.Series:
    """Predict one value per row of `df`, in row order.

    Args:
        model: What `load_model` returned.
        df: The rows to score.

    Returns:
        pandas.Series
    """
    raise NotImplementedError(
        "write user.predict:predict in user/predict.py (see template_pipeline/README.md)"
    )
