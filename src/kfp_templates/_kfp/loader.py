"""Import a template's pipeline module (producer code) and build its pipeline for one context.

The template directory is imported as a package under a private name, so `pipeline.py` can use
relative imports (`from .components import ingest`) whether it lives in
`producer_templates/NAME/` or is vendored as a consumer's `template_pipeline/`. Each build
imports afresh, so compiling two projects in one process never mixes their templates.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable
from typing import Any

from kfp_templates._errors import ContractError, KfpTemplatesError
from kfp_templates._kfp.context import TemplateContext
from kfp_templates._pipeline_ref import PipelineRef


def build_pipeline(ref: PipelineRef, context: TemplateContext) -> Any:
    """Call the template's factory with `context` and return the KFP pipeline it builds.

    Raises:
        ContractError: when the template's code fails to import or to build a pipeline.
        ConsumerError: when the consumer's config or code stops the build (raised by helpers).
    """
    factory = load_factory(ref)
    try:
        return factory(context)
    except KfpTemplatesError:
        raise
    except Exception as error:
        raise ContractError(
            f"template {ref.name}: {ref.module}.{ref.function} failed to build the pipeline: "
            f"{type(error).__name__}: {error}",
            hint="check the config values it reads; if they are fine, report this to the "
            "template's producer",
        ) from error


def load_factory(ref: PipelineRef) -> Callable[[TemplateContext], Any]:
    """Import the template's pipeline module afresh and return its factory."""
    _forget(ref.package)
    _register_package(ref)
    try:
        module = importlib.import_module(f"{ref.package}.{ref.module}")
    except Exception as error:
        raise ContractError(
            f"template {ref.name}: cannot import {ref.module}.py: {type(error).__name__}: {error}",
            hint="run `copier update` to restore template_pipeline/, or report it to the producer",
        ) from error
    factory = getattr(module, ref.function, None)
    if not callable(factory):
        raise ContractError(
            f"template {ref.name}: {ref.module}.py has no factory `{ref.function}`",
            hint="the contract's pipeline.function must name `def NAME(ctx)` in the module",
        )
    return factory  # type: ignore[no-any-return]


def _register_package(ref: PipelineRef) -> None:
    spec = importlib.machinery.ModuleSpec(ref.package, None, is_package=True)
    spec.submodule_search_locations = [str(ref.template_dir.resolve())]
    sys.modules[ref.package] = importlib.util.module_from_spec(spec)


def _forget(package: str) -> None:
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
