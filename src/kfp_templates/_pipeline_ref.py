"""Where a template's pipeline factory lives; plain data, no kfp import (the run parent uses it)."""

from __future__ import annotations

from pathlib import Path

from kfp_templates._records import record

_PACKAGE_PREFIX = "kfp_templates_template_"


@record
class PipelineRef:
    """The contract's `pipeline` entry, resolved against a template directory.

    Attributes:
        template_dir: The template directory.
        name: The template's name (from the contract), used for the private package name.
        module: Module of the factory, relative to the template directory.
        function: Name of the factory `(TemplateContext) -> pipeline`.
    """

    template_dir: Path
    name: str
    module: str = "pipeline"
    function: str = "pipeline"

    @property
    def package(self) -> str:
        """Private package name the template directory is imported as."""
        return _PACKAGE_PREFIX + self.name
