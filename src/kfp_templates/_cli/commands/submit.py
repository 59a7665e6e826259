"""`kfp-templates submit`: run the project's pipeline on Vertex AI Pipelines or a KFP server.

The project is validated first and nothing is sent when validation finds errors. The pipeline is
a compiled YAML file (`--pipeline`), a published template (`--from-registry` with `--tag` or
`--digest`), or compiled from the project. `--schedule CRON` makes a recurring run instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfp_templates._errors import ConsumerError, ContractError, UsageError
from kfp_templates._progress import reporting
from kfp_templates._project import ProjectLayout, find_layout
from kfp_templates.contract import Contract

ENGINES = ("vertex", "kfp")


@dataclass(frozen=True)
class LoadedProject:
    """A validated project with its config (defaults applied), ready to submit."""

    layout: ProjectLayout
    contract: Contract
    config: dict[str, Any]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `submit` parser."""
    parser = subparsers.add_parser(
        "submit",
        help="submit the pipeline to Vertex AI Pipelines or a Kubeflow Pipelines server",
        description="Validate the project, then submit its compiled pipeline as a run (or, with "
        "--schedule, a recurring run). Exit 0 submitted or succeeded, 1 findings, a failed "
        "run or a service error, 2 bad input.",
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, help="project directory")
    add_engine_arguments(parser)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--pipeline", type=Path, metavar="FILE", help="compiled pipeline YAML")
    source.add_argument(
        "--from-registry",
        metavar="URL/PACKAGE",
        help="run a published template: repository URL followed by /PACKAGE",
    )
    version = parser.add_mutually_exclusive_group()
    version.add_argument("--tag", help="with --from-registry: the release tag, such as v1.2.0")
    version.add_argument("--digest", help="with --from-registry: a sha256:... version")
    parser.add_argument(
        "--image",
        metavar="REF",
        help="image the steps run when compiling (default: the compile default)",
    )
    parser.add_argument("--wait", action="store_true", help="follow the run until it ends")
    parser.add_argument("--schedule", metavar="CRON", help='recurring run, such as "0 3 * * 1"')
    parser.add_argument(
        "--max-concurrent-runs",
        type=int,
        default=1,
        metavar="N",
        help="with --schedule: runs allowed at once (default 1)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be submitted and contact nothing"
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="with --wait: seconds between state checks (default 10)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=86400.0,
        metavar="SECONDS",
        help="with --wait: give up following after this long (default 1 day)",
    )
    parser.set_defaults(handler=run)


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """`--engine`, `--api-endpoint` and `--insecure`, shared with `schedules`."""
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="vertex",
        help="vertex (Vertex AI Pipelines, default) or kfp (run.kfp.host)",
    )
    parser.add_argument(
        "--api-endpoint",
        default="",
        metavar="URL",
        help="Vertex AI endpoint override (Private Service Connect, or a "
        "loopback emulator, which is called without credentials)",
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="with --engine kfp: allow a plain-http run.kfp.host that is not loopback (tokens "
        "are then sent unencrypted)",
    )


def run(args: argparse.Namespace) -> int:
    """Validate, resolve the pipeline file, then submit, schedule or just describe it."""
    _check_arguments(args)
    project = load_project(args.path)
    with tempfile.TemporaryDirectory(prefix="kfp-templates-") as scratch:
        pipeline = _pipeline_file(args, project, Path(scratch))
        spec = _job_spec(project, pipeline)
        if args.dry_run:
            _check_target(args, project.config)
            return _dry_run(args, spec, kept=not pipeline.is_relative_to(scratch))
        if args.schedule:
            return _schedule(args, project.config, spec)
        return _submit(args, project.config, spec)


def load_project(path: Path) -> LoadedProject:
    """Find, validate and load the project, refusing on any error finding.

    Raises:
        ContractError: when the template's contract is broken.
        ConsumerError: when the consumer's code or config has errors.
    """
    from kfp_templates._report import render
    from kfp_templates.validators.config import require_valid_config
    from kfp_templates.validators.project import validate_project

    layout = find_layout(path)
    result = validate_project(layout)
    errors = [finding for finding in result.findings if finding.is_error]
    if errors or result.contract is None:
        sys.stderr.write(render(errors, "text", checked=str(path)) + "\n")
        kind = ContractError if any(f.is_producer_problem for f in errors) else ConsumerError
        raise kind(
            f"{len(errors)} validation error(s); nothing was submitted",
            hint="fix them (`kfp-templates validate` lists them) and submit again",
        )
    return LoadedProject(layout, result.contract, require_valid_config(layout, result.contract))


def load_settings(path: Path) -> dict[str, Any]:
    """Only the config (contract and config checked, user code not), for `schedules`.

    Listing or deleting schedules must keep working while the consumer's code is mid-change.
    """
    from kfp_templates.contract import load_contract
    from kfp_templates.validators.config import require_valid_config

    layout = find_layout(path)
    contract, findings = load_contract(layout.contract_path, layout.display(layout.contract_path))
    if contract is None:
        first = findings[0] if findings else None
        raise ContractError(
            first.message if first else "the contract cannot be loaded",
            hint=first.fix if first else "run `kfp-templates validate`",
            location=first.location.render() if first else "",
        )
    return require_valid_config(layout, contract)


def _check_arguments(args: argparse.Namespace) -> None:
    if (args.tag or args.digest) and not args.from_registry:
        raise UsageError("--tag and --digest need --from-registry", hint="add --from-registry")
    if args.from_registry and not (args.tag or args.digest):
        raise UsageError(
            "--from-registry needs --tag or --digest",
            hint="add --tag v1.2.0 (a release tag) or --digest sha256:...",
        )
    if args.schedule and args.wait:
        raise UsageError("--wait cannot follow a schedule", hint="drop --wait or --schedule")
    if args.schedule is not None:
        from kfp_templates import _cron

        _cron.for_engine(args.schedule, args.engine)  # before any file is read or request made
    if args.max_concurrent_runs < 1 or args.poll_interval <= 0 or args.timeout <= 0:
        raise UsageError(
            "--max-concurrent-runs, --poll-interval and --timeout must be positive",
            hint="pass a positive number",
        )


def _pipeline_file(args: argparse.Namespace, project: LoadedProject, scratch: Path) -> Path:
    """The compiled pipeline to submit: given, downloaded from the registry, or compiled."""
    if args.from_registry:
        from kfp_templates._kfp import registry

        host, package = registry.split_reference(args.from_registry)
        reference = args.digest or registry.check_tag(args.tag)
        return registry.download(host, package, reference, scratch / "pipeline.yaml")
    if args.pipeline is not None:
        return compile_or_given(args.pipeline, project, scratch / "pipeline.yaml")
    from kfp_templates._kfp.project import image_for

    # A dry run needs the pushed image too: it must refuse exactly what submit would.
    image, note = image_for(project.layout, project.config, args.image, need_pushed=True)
    if note:
        sys.stderr.write(f"note: {note}\n")
    return compile_or_given(None, project, scratch / "pipeline.yaml", image)


def compile_or_given(
    given: Path | None, project: LoadedProject, destination: Path, image: str | None = None
) -> Path:
    """`given` when passed (it must be a file), else the project's pipeline compiled to it.

    Args:
        given: A compiled pipeline YAML from the command line, or None.
        project: The validated project.
        destination: Where to write the compiled pipeline.
        image: The image every step runs (a pushed digest); None for the compile default.
    """
    if given is not None:
        if not given.is_file():
            raise UsageError(
                f"{given} is not a file",
                hint="pass the compiled pipeline YAML made by `kfp-templates compile`",
            )
        return given
    from kfp_templates._kfp.compiling import compile_project

    return compile_project(project.layout, destination, image)


def _job_spec(project: LoadedProject, pipeline: Path) -> Any:
    from kfp_templates._vertex import labels, spec

    contract = project.contract
    code_hash = labels.user_code_hash(project.layout.user_dir)
    extra = project.config.get("gcp", {}).get("labels", {})
    run_labels = labels.run_labels(contract.name, contract.version, code_hash, extra)
    return spec.job_spec(project.config, str(pipeline), contract.name, run_labels)


def _check_target(args: argparse.Namespace, config: dict[str, Any]) -> None:
    """The checks submit makes of its target before contacting it (for `--dry-run`)."""
    if args.engine == "kfp":
        from kfp_templates._kfp import client

        client.kfp_target(config)
        return
    from kfp_templates._vertex import spec

    spec.vertex_target(config, args.api_endpoint)


def _dry_run(args: argparse.Namespace, job: Any, *, kept: bool) -> int:
    """Print the job; a pipeline compiled for it is deleted afterwards, so its path is not."""
    described = {"engine": args.engine, "job": job.describe()}
    if not kept:
        described["job"]["template_path"] = None
        described["pipeline"] = "compiled for this dry run, not kept: `kfp-templates compile`"
    if args.schedule:
        described["schedule"] = {
            "cron": args.schedule,
            "max_concurrent_runs": args.max_concurrent_runs,
        }
    sys.stdout.write(json.dumps(described, indent=2, sort_keys=True) + "\n")
    return 0


def _submit(args: argparse.Namespace, config: dict[str, Any], job: Any) -> int:
    """Create one run, then print its link or follow it to the end."""
    if args.engine == "kfp":
        from kfp_templates._kfp import client

        target = client.kfp_target(config, insecure=args.insecure)
        created = client.submit_run(target, job)
        _say(f"submitted run {created.run_id}\n{created.url}")
        if not args.wait:
            return 0
        with reporting("submit") as progress:  # the run's state on standard error
            outcome = client.wait_for_run(target, created.run_id, progress.state, _poll(args))
        return _finish(outcome.state, outcome.error, outcome.succeeded, created.url)
    from kfp_templates._vertex import jobs, spec

    vertex = spec.vertex_target(config, args.api_endpoint)
    submitted = jobs.submit_job(vertex, job)
    _say(f"submitted pipeline job {submitted.resource_name}\n{submitted.console_url}")
    if not args.wait:
        return 0
    with reporting("submit") as progress:
        result = jobs.wait_for_job(submitted.resource_name, progress.state, _poll(args))
    return _finish(result.state, result.error, result.succeeded, submitted.console_url)


def _schedule(args: argparse.Namespace, config: dict[str, Any], job: Any) -> int:
    """Create a Vertex AI schedule or a KFP recurring run for `job`."""
    from kfp_templates import _cron
    from kfp_templates._vertex import spec

    schedule = spec.ScheduleSpec(
        _cron.vertex_cron(args.schedule) if args.engine == "vertex" else args.schedule,
        job.display_name,
        args.max_concurrent_runs,
    )
    if args.engine == "kfp":
        from kfp_templates._kfp import client

        created_id = client.create_recurring_run(
            client.kfp_target(config, insecure=args.insecure), job, schedule
        )
        _say(f"created recurring run {created_id} ({schedule.cron})")
        return 0
    from kfp_templates._vertex import schedules

    vertex = spec.vertex_target(config, args.api_endpoint)
    created = schedules.create_schedule(vertex, job, schedule)
    _say(f"created schedule {created.name} ({created.cron})\n{schedules.console_url(vertex)}")
    return 0


def _poll(args: argparse.Namespace) -> Any:
    from kfp_templates._vertex.polling import PollSettings

    return PollSettings(interval=args.poll_interval, timeout=args.timeout)


def _finish(state: str, error: str, succeeded: bool, url: str) -> int:
    if succeeded:
        _say(f"run finished: {state}")
        return 0
    detail = f": {error}" if error else ""
    raise ConsumerError(
        f"the run ended {state}{detail}", hint=f"open {url} to see which step failed and its logs"
    )


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
