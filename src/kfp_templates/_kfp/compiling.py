"""Compile a template pipeline to KFP pipeline YAML, atomically.

`compile_project` takes a project already loaded (and so validated) by
`kfp_templates._project_loader`: compile, submit and publish load once and never again here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kfp import compiler

from kfp_templates._errors import ConsumerError
from kfp_templates._kfp.context import TemplateContext
from kfp_templates._kfp.loader import build_pipeline
from kfp_templates._kfp.project import default_image
from kfp_templates._pipeline_ref import PipelineRef
from kfp_templates._project_loader import LoadedProject


def compile_pipeline(ref: PipelineRef, context: TemplateContext, output: Path) -> Path:
    """Build the template's pipeline for `context` and write its YAML to `output`.

    The YAML is written to a temporary file next to `output` and renamed over it, so a failed
    compile never leaves a half-written pipeline behind.
    """
    pipeline = build_pipeline(ref, context)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{output.stem}.", suffix=".yaml", dir=output.parent
        )
    except OSError as error:
        raise _write_error(output, error) from error
    os.close(handle)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; a YAML is no secret
        compiler.Compiler().compile(pipeline_func=pipeline, package_path=temporary)
        os.replace(temporary, output)
    except (TypeError, ValueError) as error:
        raise ConsumerError(
            f"KFP could not compile template {ref.name}: {error}",
            hint="check config.yaml values passed to the pipeline",
        ) from error
    except OSError as error:  # disk full, file too large, permissions: `output` is untouched
        raise _write_error(output, error) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return output


def _write_error(output: Path, error: OSError) -> ConsumerError:
    return ConsumerError(
        f"could not write {output}: {error.strerror or error}",
        hint="free disk space or choose another --output; any previous file there is unchanged",
    )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def compile_project(project: LoadedProject, output: Path, image: str | None = None) -> Path:
    """Compile a loaded project's pipeline with `image` (default: `default_image`).

    Raises:
        ContractError: when the contract names no pipeline, or the template fails to build.
        ConsumerError: when KFP refuses the config's values, or `output` cannot be written.
    """
    return compile_pipeline(project.ref, template_context(project, image), output)


def template_context(project: LoadedProject, image: str | None = None) -> TemplateContext:
    """What the template's pipeline factory receives for this project (`compile`, `graph`)."""
    layout = project.layout
    return TemplateContext(
        image or default_image(project.config), project.config, layout.root, layout.template_dir
    )
