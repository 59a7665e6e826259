"""One build: resolve wheels, assemble the context, derive the tag, build or skip, push, record.

Same inputs give the same content tag; a tag already in the registry (when pushing) or in local
storage is neither rebuilt nor pushed again.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kfp_templates._errors import UsageError
from kfp_templates._images import _names
from kfp_templates._images._builders import Builder, BuildRequest
from kfp_templates._images._context import (
    CONTEXT_NAME,
    DOCKERFILE_NAME,
    ContextSources,
    assemble_context,
    content_tag,
    contract_sha256,
)
from kfp_templates._images._dockerfile import DockerfileSpec, render_dockerfile
from kfp_templates._images._exclusive import one_build_at_a_time
from kfp_templates._images._lock import LOCK_NAME
from kfp_templates._images._python import project_python_version
from kfp_templates._images._record import (
    BuildRecord,
    build_dir,
    read_record,
    sources_sha256,
    write_record,
)
from kfp_templates._images._requirements import image_requirements
from kfp_templates._images._select import select_builder
from kfp_templates._images._tool import ensure_tool_wheel
from kfp_templates._images._wheels import Target, ensure_dependencies
from kfp_templates._layout import ProjectLayout
from kfp_templates._progress import SILENT, Progress
from kfp_templates._records import record, replace
from kfp_templates.contract import Contract
from kfp_templates.validators.component import component_requirements


@record
class BuildOptions:
    """How to build; None means "take it from the config"."""

    builder: str | None = None
    push: bool = False
    registry: str | None = None
    identifier: str | None = None
    base_image: str | None = None
    no_cache: bool = False
    tls_verify: bool = True
    python_version: str | None = None
    storage_driver: str = ""
    verbose: bool = False
    tool_wheel: Path | None = None
    context_only: bool = False


@record
class BuildOutcome:
    """What happened: the record written, whether a build ran and whether anything was pushed."""

    record: BuildRecord
    built: bool
    pushed: bool
    context: Path


def build_image(
    layout: ProjectLayout,
    contract: Contract,
    config: Mapping[str, Any],
    options: BuildOptions,
    progress: Progress = SILENT,
) -> BuildOutcome:
    """`_build_image` while holding the project's build lock: builds of one project take turns.

    `progress` is told the phases (resolving, wheels, tool, layers, push) and each layer and blob.

    Raises:
        UsageError: bad flags, no builder installed, or push without a registry.
        ExternalServiceError: pip, the builder or the registry failed.
    """
    with one_build_at_a_time(layout.root, progress.note):
        return _build_image(layout, contract, config, options, progress)


def _build_image(
    layout: ProjectLayout,
    contract: Contract,
    config: Mapping[str, Any],
    options: BuildOptions,
    progress: Progress,
) -> BuildOutcome:
    """Build (and with `options.push`, push) the project's image; see the module docstring.

    Raises:
        UsageError: bad flags, no builder installed, or push without a registry.
        ExternalServiceError: pip, the builder or the registry failed.
    """
    image = config.get("image") or {}
    repository = _names.image_repository(image, options.registry, options.identifier)
    base = _names.base_image(contract, image, options.base_image)
    directory = build_dir(layout)
    if options.context_only:
        context = _prepare_context(layout, contract, base, options, progress)
        return BuildOutcome(
            _record_for(layout, contract, repository, context), False, False, context
        )
    builder = select_builder(
        options.builder,
        build_dir=directory,
        storage_driver=options.storage_driver,
        gcp_project=str((config.get("gcp") or {}).get("project", "")),
    )
    _check_push(builder, repository, options)
    sources = sources_sha256(layout)  # before the context: edits during the build make it stale
    context = _prepare_context(layout, contract, base, options, progress)
    record = replace(
        _record_for(layout, contract, repository, context), builder=builder.name, sources=sources
    )
    request = replace(_request(layout, contract, base, record, options), progress=progress)
    built, pushed, digest = _build_and_push(builder, record, request, options, progress)
    record = replace(record, digest=digest or _kept_digest(directory, record))
    write_record(directory, record)
    return BuildOutcome(record, built, pushed, context)


def _request(
    layout: ProjectLayout,
    contract: Contract,
    base: str,
    record: BuildRecord,
    options: BuildOptions,
) -> BuildRequest:
    """The builder's request: both tags, and labels saying which template and commit made it."""
    context = build_dir(layout) / CONTEXT_NAME
    contract_hash = contract_sha256(layout.contract_path)
    labels = _names.image_labels(contract, record.repository, base, contract_hash, layout.root)
    tags = (record.tagged, _version_ref(record))
    return BuildRequest(
        context, context / DOCKERFILE_NAME, tags, labels, options.no_cache, options.verbose
    )


def _check_push(builder: Builder, repository: str, options: BuildOptions) -> None:
    wants_push = options.push or builder.remote_only
    if wants_push and repository.startswith(_names.LOCAL_REGISTRY + "/"):
        raise UsageError(
            "pushing needs a registry",
            hint="set image.registry in config.yaml or pass --registry HOST/PATH",
        )
    if builder.remote_only and not options.push:
        raise UsageError(f"{builder.name} always pushes", hint="pass --push")


def _prepare_context(
    layout: ProjectLayout, contract: Contract, base: str, options: BuildOptions, progress: Progress
) -> Path:
    """Resolve wheels and the tool wheel, render the Dockerfile, assemble the context."""
    target = Target(project_python_version(layout.root, options.python_version))
    directory = build_dir(layout)
    pip = [sys.executable, "-m", "pip"]
    requirements = image_requirements(
        layout.root, (*contract.requirements, *component_requirements(layout.root, contract))
    )
    deps = ensure_dependencies(
        pip, layout.root, directory, requirements, target, stream=options.verbose, progress=progress
    )
    with progress.phase("tool", "the kfp-templates wheel the image installs"):
        tool = options.tool_wheel or ensure_tool_wheel(pip, directory, stream=options.verbose)
    if not tool.is_file() or tool.suffix != ".whl":
        raise UsageError(f"{tool} is not a wheel file", hint="pass a kfp_templates-*.whl")
    spec = DockerfileSpec(base, tool.name, LOCK_NAME, target.python_version)
    dockerfile = render_dockerfile(spec)
    sources = ContextSources(
        dockerfile,
        LOCK_NAME,
        deps.lock.render(),
        deps.wheels,
        tool,
        layout.template_dir,
        layout.user_dir,
    )
    return assemble_context(directory, sources)


def _record_for(
    layout: ProjectLayout, contract: Contract, repository: str, context: Path
) -> BuildRecord:
    """The record of an image built from `context`: its content and version tags, no digest."""
    tag = content_tag(context, f"{contract.name} {contract.version}")
    version = _names.version_tag(contract)
    sources = sources_sha256(layout)
    return BuildRecord(repository, tag, version, "", "", contract.name, contract.version, sources)


def _build_and_push(
    builder: Builder,
    record: BuildRecord,
    request: BuildRequest,
    options: BuildOptions,
    progress: Progress,
) -> tuple[bool, bool, str]:
    """(built, pushed, digest); skips whatever the registry or local storage already has."""
    if options.push or builder.remote_only:
        digest = builder.remote_digest(record.tagged, options.tls_verify)
        if digest:
            progress.note(f"{record.tagged} is already in the registry; nothing to build or push")
            return False, False, digest
    built = builder.local_id(record.tagged) is None
    if built:
        with progress.phase("layers", f"building {record.tagged} with {builder.name}"):
            builder.build(request)
    else:
        progress.note(f"{record.tagged} is already built; not rebuilding")
        builder.tag(record.tagged, _version_ref(record))
    if not (options.push or builder.remote_only):
        return built, False, ""
    with progress.phase("push", record.tagged):
        digest = builder.push(record.tagged, options.tls_verify, options.verbose, progress)
        if not builder.remote_only:
            builder.push(_version_ref(record), options.tls_verify, options.verbose, progress)
    return built, True, digest


def _version_ref(record: BuildRecord) -> str:
    return f"{record.repository}:{record.version_tag}"


def _kept_digest(directory: Path, record: BuildRecord) -> str:
    """A local-only rebuild of an image pushed before keeps the digest it was pushed with."""
    previous = read_record(directory)
    return previous.digest if previous and previous.tagged == record.tagged else ""
