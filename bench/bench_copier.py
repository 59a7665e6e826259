"""Benchmark a fresh consumer project: `copier copy`, `validate`, local run, against a bare copy.

Everything runs as a consumer would, each phase as its own process:

- baseline: `copier copy --defaults` of a trivial one-file template (a local git repository with
  one tag), which is what copier itself costs (start-up, git clone, render);
- copy: `copier copy --defaults` of this repository (working tree committed to a scratch git
  repository and tagged), the chosen template vendored through the conditional symlinks;
- validate: `kfp-templates validate` in the new project (stubs in user/);
- run: the producer's reference implementation copied in, then `kfp-templates run --local`.

Each phase is timed `--repeat` times on fresh directories; the median is reported with its ratio
to the baseline measured in the same command. Run:
`python bench/bench_copier.py [--repeat N] [--template NAME]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@kfp-templates.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@kfp-templates.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
ENV = {**os.environ, **GIT_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{command} exited {result.returncode}:\n{result.stdout}{result.stderr}")


def _git_repo(path: Path) -> Path:
    _run(["git", "init", "-q"], path)
    _run(["git", "add", "-A"], path)
    _run(["git", "commit", "-q", "--no-gpg-sign", "-m", "bench"], path)
    _run(["git", "tag", "v1.0.0"], path)
    return path


def _trivial_template(path: Path) -> Path:
    path.mkdir()
    (path / "copier.yml").write_text("name:\n  type: str\n  default: demo\n")
    (path / "README.md.jinja").write_text("# {{ name }}\n")
    return _git_repo(path)


def _this_repository(path: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for relative in filter(None, listed.split("\0")):
        source, target = REPO / relative, path / relative
        if not source.exists() and not source.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    return _git_repo(path)


def _timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _copier_copy(source: Path, dest: Path, *data: str) -> Callable[[], None]:
    flags = [arg for item in data for arg in ("-d", item)]
    command = [
        sys.executable,
        "-m",
        "copier",
        "copy",
        "-q",
        "--defaults",
        "--vcs-ref",
        "v1.0.0",
        *flags,
        str(source),
        str(dest),
    ]
    return lambda: _run(command, dest.parent)


def _tool(project: Path, *args: str) -> Callable[[], None]:
    return lambda: _run([sys.executable, "-m", "kfp_templates", *args], project)


def _one_round(
    scratch: Path, trivial: Path, repo: Path, template: str, index: int
) -> dict[str, float]:
    round_dir = scratch / f"round{index}"
    round_dir.mkdir()
    project = round_dir / "project"
    times = {
        "baseline": _timed(_copier_copy(trivial, round_dir / "trivial")),
        "copy": _timed(_copier_copy(repo, project, f"template={template}")),
        "validate": _timed(_tool(project, "validate")),
    }
    reference = REPO / "producer_templates" / template / "reference"
    shutil.copytree(
        reference,
        project,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", "local_outputs"),
    )
    times["run"] = _timed(_tool(project, "run", "--local"))
    return times


def _report(rounds: list[dict[str, float]], template: str) -> None:
    medians = {phase: statistics.median(r[phase] for r in rounds) for phase in rounds[0]}
    base = medians["baseline"]
    print(f"template {template}, {len(rounds)} round(s), median wall time per phase")
    print(f"{'phase':<34}{'seconds':>9}{'x bare copy':>13}")
    rows = [
        ("bare copier copy (1-file template)", "baseline"),
        ("copier copy", "copy"),
        ("kfp-templates validate", "validate"),
        ("kfp-templates run --local", "run"),
    ]
    for label, phase in rows:
        print(f"{label:<34}{medians[phase]:>9.2f}{medians[phase] / base:>13.1f}")
    total = medians["copy"] + medians["validate"] + medians["run"]
    print(f"{'copy + validate + run':<34}{total:>9.2f}{total / base:>13.1f}")


def main(argv: list[str] | None = None) -> int:
    """Build the scratch repositories once, time the phases `--repeat` times, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--template", default="tabular_training")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-copier-") as tmp:
        scratch = Path(tmp)
        trivial = _trivial_template(scratch / "trivial-template")
        (scratch / "repo").mkdir()
        repo = _this_repository(scratch / "repo")
        rounds = [_one_round(scratch, trivial, repo, args.template, i) for i in range(args.repeat)]
    _report(rounds, args.template)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
