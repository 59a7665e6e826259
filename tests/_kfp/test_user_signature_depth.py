"""compile reads the component function's signature without crashing on deep or wide
expressions (issue 15, point 8): a clear ConsumerError, never RecursionError (exit 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfp_templates._errors import ConsumerError
from kfp_templates._kfp.user_signature import read_signature

from helpers import build_file_tree

UNION = " | ".join(f"T{index}" for index in range(500))
LAMBDAS = "(" + "lambda: " * 400 + "0)"


@pytest.mark.parametrize(
    "signature",
    [
        f"def component(x: {UNION}) -> None:",
        f"def component(x: {LAMBDAS}) -> None:",
        f"def component(x: int) -> {UNION}:",
        f"def component(x: int = {LAMBDAS}) -> None:",
    ],
    ids=["union-parameter", "lambdas-parameter", "union-return", "lambdas-default"],
)
def test_deep_or_wide_expressions_are_a_consumer_error(tmp_path: Path, signature: str) -> None:
    build_file_tree(tmp_path, {"user/__init__.py": "", "user/main.py": f"{signature}\n    pass\n"})
    with pytest.raises(ConsumerError):
        read_signature(tmp_path, "user.main", "component")
