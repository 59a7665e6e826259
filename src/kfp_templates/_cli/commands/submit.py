"""`kfp-templates submit`: run the project's pipeline on Vertex AI Pipelines or a KFP server.

The project is validated first and nothing is sent when validation finds errors. The pipeline is
a compiled YAML file (`--pipeline`), a published template (`--from-registry` with `--tag` or
`--digest`), or compiled from the project. `--schedule CRON` makes a recurring run instead.
This module parses and prints; `kfp_templates.submission` does the work.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kfp_templates._cli._submitting import (
    add_engine_arguments,
    engine_of,
    load_or_refuse,
)
from kfp_templates._errors import ConsumerError, UsageError
from kfp_templates._progress import reporting

if TYPE_CHECKING:
    from kfp_templates._dispatch.pipeline import PipelineSource
    from kfp_templates.submission.protocol import Engine, Outcome
    from kfp_templates.submission.spec import JobSpec


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
    _add_source_arguments(parser)
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
    _add_wait_arguments(parser)
    parser.set_defaults(handler=run)


def _add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """Where the pipeline comes from: `--pipeline`, `--from-registry` with a version, `--image`."""
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


def _add_wait_arguments(parser: argparse.ArgumentParser) -> None:
    """How `--wait` follows the run."""
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


def run(args: argparse.Namespace) -> int:
    """Validate, resolve the pipeline file, then submit, schedule or just describe it."""
    from kfp_templates._dispatch.pipeline import job_spec, pipeline_file

    _check_arguments(args)
    project = load_or_refuse(args.path)
    with tempfile.TemporaryDirectory(prefix="kfp-templates-") as scratch:
        pipeline = pipeline_file(project, _source(args), Path(scratch))
        job = job_spec(project, pipeline)
        engine = engine_of(args, project.config)
        if args.dry_run:
            engine.check_target()
            return _dry_run(args, job, kept=not pipeline.is_relative_to(scratch))
        if args.schedule:
            return _schedule(args, engine, job)
        return _submit(args, engine, job)


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


def _source(args: argparse.Namespace) -> PipelineSource:
    from kfp_templates._dispatch.pipeline import PipelineSource

    return PipelineSource(
        args.pipeline, args.from_registry or "", args.tag or "", args.digest or "", args.image
    )


def _dry_run(args: argparse.Namespace, job: JobSpec, *, kept: bool) -> int:
    """Print the job; a pipeline compiled for it is deleted afterwards, so its path is not."""
    described: dict[str, Any] = {"engine": args.engine, "job": job.describe()}
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


def _submit(args: argparse.Namespace, engine: Engine, job: JobSpec) -> int:
    """Create one run, then print its link or follow it to the end."""
    from kfp_templates.submission.polling import PollSettings

    submitted = engine.submit(job)
    _say(f"submitted {submitted.kind} {submitted.name}\n{submitted.url}")
    if not args.wait:
        return 0
    settings = PollSettings(interval=args.poll_interval, timeout=args.timeout)
    with reporting("submit") as progress:  # the run's state on standard error
        outcome = engine.wait(submitted, progress.state, settings)
    return _finish(outcome, submitted.url)


def _schedule(args: argparse.Namespace, engine: Engine, job: JobSpec) -> int:
    """Create a Vertex AI schedule or a KFP recurring run for `job`."""
    from kfp_templates.submission.spec import ScheduleSpec

    schedule = ScheduleSpec(args.schedule, job.display_name, args.max_concurrent_runs)
    created = engine.schedule(job, schedule)
    line = f"created {created.kind} {created.name} ({created.cron})"
    _say(f"{line}\n{created.url}" if created.url else line)
    return 0


def _finish(outcome: Outcome, url: str) -> int:
    if outcome.succeeded:
        _say(f"run finished: {outcome.state}")
        return 0
    detail = f": {outcome.error}" if outcome.error else ""
    raise ConsumerError(
        f"the run ended {outcome.state}{detail}",
        hint=f"open {url} to see which step failed and its logs",
    )


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
