"""Hypothesis fuzzing of the static extractor and the config validator: no exception escapes.

Bounded for two cores: a few hundred examples per target, the whole module in well under a
minute. Deeper runs: `pytest tests/fuzz --hypothesis-profile=fuzz-long` or the atheris scripts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fuzz_targets import FuzzProject, check_config, check_user_module, check_yaml_loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import mutated, python_ish_text, python_modules, yaml_ish_text, yaml_trees

settings.register_profile(
    "fuzz-long", max_examples=20_000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
BOUNDED = settings(max_examples=250, deadline=2000,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzProject]:
    yield FuzzProject.create(tmp_path_factory.mktemp("fuzz"))


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@BOUNDED
@given(source=python_ish_text())
def test_python_ish_text(project: FuzzProject, source: str) -> None:
    check_user_module(project, _encode(source))


@BOUNDED
@given(source=mutated(python_modules()))
def test_random_asts_unparsed_and_mutated(project: FuzzProject, source: str) -> None:
    check_user_module(project, _encode(source))


@BOUNDED
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_user_code(project: FuzzProject, data: bytes) -> None:
    check_user_module(project, data)


@BOUNDED
@given(data=st.binary(max_size=2000))
def test_random_bytes_as_config(project: FuzzProject, data: bytes) -> None:
    check_config(project, data)


@BOUNDED
@given(text=yaml_ish_text())
def test_yaml_ish_text_as_config(project: FuzzProject, text: str) -> None:
    check_config(project, _encode(text))


@BOUNDED
@given(text=yaml_trees())
def test_random_yaml_trees_as_config(project: FuzzProject, text: str) -> None:
    check_config(project, _encode(text))


@BOUNDED
@given(text=st.one_of(yaml_ish_text(), st.text(max_size=500)))
def test_yaml_loader(text: str) -> None:
    check_yaml_loader(text)


def test_targets_can_fail(project: FuzzProject) -> None:
    """The targets are not vacuous: a finding-free module is fine, a broken contract is not."""
    check_user_module(project, b"def preprocess(df, params=None):\n    return df\n")
    contract = project.root / "template_pipeline" / "contract.yaml"
    saved = contract.read_bytes()
    contract.write_bytes(b"functions: 12\n")
    try:
        with pytest.raises(AssertionError):
            check_config(project, b"{}\n")
    finally:
        contract.write_bytes(saved)
