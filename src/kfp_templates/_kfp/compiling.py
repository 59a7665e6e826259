"""Compile a template pipeline to KFP pipeline YAML, atomically.

`compile_project` is the whole flow (validate, load config, compile) for callers such as
`submit`; `compile_prepared` is the last step, for `compile`, which reports findings itself.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kfp import compiler

from kfp_templates._errors import ConsumerError, ContractError
from kfp_templates._kfp.context import TemplateContext
from kfp_templates._kfp.loader import build_pipeline
from kfp_templates._kfp.project import PreparedProject, default_image, prepare
from kfp_templates._kfp.ref import PipelineRef
from kfp_templates._layout import ProjectLayout


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


def compile_prepared(prepared: PreparedProject, output: Path, image: str | None = None) -> Path:
    """Compile a validated project's pipeline with `image` (default: `default_image`)."""
    layout = prepared.layout
    context = TemplateContext(
        image or default_image(prepared.config), prepared.config, layout.root, layout.template_dir
    )
    return compile_pipeline(prepared.ref, context, output)


def compile_project(layout: ProjectLayout, destination: Path, image: str | None = None) -> Path:
    """Validate the project at `layout` and compile its pipeline to `destination`.

    Raises:
        ConsumerError: when validation finds errors in the consumer's code or config.
        ContractError: when the template's contract is broken.
    """
    prepared, result = prepare(layout)
    if prepared is None:
        error_type = ContractError if result.exit_code == 2 else ConsumerError
        raise error_type(
            "the project does not validate; nothing was compiled",
            hint="run `kfp-templates validate` and fix what it reports",
        )
    return compile_prepared(prepared, destination, image)
