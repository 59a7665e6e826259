"""The field's two linters for GitHub files, run offline, and the pin rule they leave to us.

zizmor (security audits of workflows and Dependabot configs) runs with `--offline`, `--no-config`
and `--no-ignores`, so neither the network nor an ignore comment can hide a finding.
check-jsonschema validates each file against the schema it vendors. Both come from the dev extra.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

BIN = Path(sys.executable).parent
SCHEMAS = {"workflow": "vendor.github-workflows", "dependabot": "vendor.dependabot"}
# owner/repo[/path]@<full commit SHA> # vMAJOR[.MINOR[.PATCH]]
PINNED = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$")
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$")


def github_files(root: Path) -> dict[Path, str]:
    """Each workflow and Dependabot config under root/.github, with its schema kind."""
    github = root / ".github"
    files = {path: "workflow" for path in sorted((github / "workflows").glob("*.y*ml"))}
    files.update({path: "dependabot" for path in github.glob("dependabot.y*ml")})
    return files


def zizmor_findings(root: Path) -> list[str]:
    """zizmor's findings of medium severity or above on root/.github, as `audit at file:line`."""
    command = [
        str(BIN / "zizmor"),
        *("--offline", "--no-config", "--no-ignores", "--strict-collection", "--no-exit-codes"),
        *("--min-severity", "medium", "--format", "json", str(root / ".github")),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssertionError(f"zizmor failed ({result.returncode}):\n{result.stderr}")
    return [_describe(finding) for finding in json.loads(result.stdout)]


def _describe(finding: Any) -> str:
    """`ident (severity) at path:line` of one finding of zizmor's JSON (rows count from 0)."""
    location = finding["locations"][0]
    path = location["symbolic"]["key"]["Local"]["verbatim_path"]
    row = location["concrete"]["location"]["start_point"]["row"]
    return f"{finding['ident']} ({finding['determinations']['severity']}) at {path}:{row + 1}"


def schema_errors(paths: list[Path], kind: str) -> str:
    """check-jsonschema's complaints about `paths` against the vendored schema; empty when valid."""
    command = [str(BIN / "check-jsonschema"), "--builtin-schema", SCHEMAS[kind], *map(str, paths)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return "" if result.returncode == 0 else result.stdout + result.stderr


def lint_problems(root: Path) -> list[str]:
    """Everything both linters and the pin rule say about root/.github (empty when clean)."""
    files = github_files(root)
    problems = [
        error
        for kind in SCHEMAS
        if (paths := [path for path, of in files.items() if of == kind])
        and (error := schema_errors(paths, kind))
    ]
    problems += zizmor_findings(root)
    workflows = [path for path, kind in files.items() if kind == "workflow"]
    return problems + [problem for path in workflows for problem in unpinned(path)]


def uses_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of every `uses:` of a workflow."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if USES.match(line):
            yield number, line.strip().removeprefix("- ")


def unpinned(path: Path) -> list[str]:
    """`uses:` lines not pinned to a full SHA with the release in a comment."""
    return [f"{path}:{n}: {line}" for n, line in uses_lines(path) if not PINNED.fullmatch(line)]


def pins(paths: list[Path]) -> dict[str, set[str]]:
    """Each action to the set of `SHA # version` it is pinned to across `paths`."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for _, line in uses_lines(path):
            action, _, pin = line.removeprefix("uses: ").partition("@")
            found.setdefault(action, set()).add(pin)
    return found


def load_mapping(path: Path) -> dict[str, object]:
    """A workflow or Dependabot config as data (PyYAML reads a workflow's `on:` key as True)."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), path
    return loaded
