"""Small real KFP pipelines for submission tests.

No `from __future__ import annotations` here: kfp reads the annotations as real types.
"""

from pathlib import Path

from kfp import compiler, dsl


@dsl.component(base_image="python:3.11-slim")
def train(target_column: str, test_fraction: float, n_rows: int) -> str:
    return f"{target_column}:{test_fraction}:{n_rows}"


def compile_case_pipeline(path: Path, name: str = "case-base") -> Path:
    """A pipeline taking the base case's parameters, compiled by kfp's own compiler."""

    @dsl.pipeline(name=name)
    def pipeline(target_column: str = "y", test_fraction: float = 0.2, n_rows: int = 100):
        train(target_column=target_column, test_fraction=test_fraction, n_rows=n_rows)

    compiler.Compiler().compile(pipeline, str(path))
    return path


def compile_other_pipeline(path: Path) -> Path:
    """A pipeline whose only parameter is `only`, so the case's parameters do not fit it."""

    @dsl.pipeline(name="other")
    def pipeline(only: str = "x"):
        train(target_column=only, test_fraction=0.5, n_rows=1)

    compiler.Compiler().compile(pipeline, str(path))
    return path
