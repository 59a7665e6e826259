# Generated from the template's contract by `kfp-templates stubs`; this file is yours.
"""user.evaluate: functions required by the tabular_training template."""

import typing

import pandas


def evaluate(model: typing.Any, df: pandas.DataFrame, target: str) -> dict[str, float]:
    """Score the model on held-out rows; return metric name -> value (must include the gated
    metric).

    Args:
        model: What `train` returned.
        df: Held-out rows.
        target: See the template's README.

    Returns:
        dict[str, float]
    """
    raise NotImplementedError(
        "write user.evaluate:evaluate in user/evaluate.py (see template_pipeline/README.md)"
    )
