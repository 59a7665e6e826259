"""The compiled pipeline to submit, and the job that runs it, from a loaded project.

The pipeline is a file the user gives, a published template downloaded from a registry, or the
project's own pipeline compiled with the image the last `build --push` made. The project was
validated once when it was loaded (`kfp_templates._project_loader`); nothing here loads it again.
"""

from __future__ import annotations

from pathlib import Path

from kfp_templates._errors import UsageError
from kfp_templates._project_loader import LoadedProject
from kfp_templates._records import record
from kfp_templates.submission import labels, spec


@record
class PipelineSource:
    """Where the pipeline comes from (at most one of `given` and `registry`).

    Attributes:
        given: A compiled pipeline YAML (`--pipeline`).
        registry: A published template, `URL/PACKAGE` (`--from-registry`).
        tag: With `registry`: the release tag.
        digest: With `registry`: a `sha256:` version, used before `tag`.
        image: When compiling: the image every step runs; None for the last pushed build.
    """

    given: Path | None = None
    registry: str = ""
    tag: str = ""
    digest: str = ""
    image: str | None = None


def pipeline_file(project: LoadedProject, source: PipelineSource, scratch: Path) -> Path:
    """The compiled pipeline to submit: given, downloaded into `scratch`, or compiled there.

    A compile needs a pushed image, for a dry run too: it must refuse exactly what submit would.

    Raises:
        UsageError: for a missing given file or a bad registry reference or tag.
        ConsumerError: when no pushed image holds the project's current code.
    """
    destination = scratch / "pipeline.yaml"
    if source.registry:
        from kfp_templates._kfp import registry  # noqa: PLC0415 - kfp only when compiling or downloading

        host, package = registry.split_reference(source.registry)
        reference = source.digest or registry.check_tag(source.tag)
        return registry.download(host, package, reference, destination)
    if source.given is not None:
        return compile_or_given(source.given, project, destination)
    from kfp_templates._kfp.project import image_for  # noqa: PLC0415 - kfp only when compiling or downloading

    image, _note = image_for(project.layout, project.config, source.image, need_pushed=True)
    return compile_or_given(None, project, destination, image)


def compile_or_given(
    given: Path | None, project: LoadedProject, destination: Path, image: str | None = None
) -> Path:
    """`given` when passed (it must be a file), else the project's pipeline compiled to it.

    Args:
        given: A compiled pipeline YAML from the command line, or None.
        project: The loaded project.
        destination: Where to write the compiled pipeline.
        image: The image every step runs (a pushed digest); None for the compile default.

    Raises:
        UsageError: when `given` is not a file.
    """
    if given is not None:
        if not given.is_file():
            raise UsageError(
                f"{given} is not a file",
                hint="pass the compiled pipeline YAML made by `kfp-templates compile`",
            )
        return given
    from kfp_templates._kfp.compiling import compile_project  # noqa: PLC0415 - kfp only when compiling or downloading

    return compile_project(project, destination, image)


def job_spec(project: LoadedProject, pipeline: Path) -> spec.JobSpec:
    """The run of `pipeline` the project's config describes, labelled with template and code."""
    contract = project.contract
    code_hash = labels.user_code_hash(project.layout.user_dir)
    extra = project.config.get("gcp", {}).get("labels", {})
    run_labels = labels.run_labels(contract.name, contract.version, code_hash, extra)
    return spec.job_spec(project.config, str(pipeline), contract.name, run_labels)
