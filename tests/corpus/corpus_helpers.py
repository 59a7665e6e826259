"""Load corpus cases, build their projects on disk, run the CLI and check the promises.

A corpus file (`tests/corpus/CATEGORY.yaml`) holds `cases:`, each

    id: syntax_unclosed_paren          # unique within its file
    files:                             # overlaid on tests/cases/base (see materialise_case)
      user/preprocess.py: "def preprocess(:\\n"          # text
      user/train.py: {base64: "..."}                       # bytes
      user/big.py: {generate: big_module, args: {megabytes: 5}}   # generators.py
      config.yaml: {replace: [[old, new]], append: "..."}  # edit the base file's text
      user/__init__.py: "<delete>"                         # remove a path
      user/x.py: {symlink: /dev/zero}                      # also {fifo: true}, {mkdir: true}
    argv: [validate, "{project}", --format, json]          # default; {project} {root} {repo}
    subprocess: true                   # run `python -m kfp_templates` instead of in-process
    slow: true                         # marked @pytest.mark.slow
    xfail: "reason"                    # a known bug, reported; strict (fails once fixed)
    expect:
      rule: USR102          # a finding with this rule id must be reported ...
      path: user/preprocess.py   # ... at this path (default: the only file the case writes)
      line: 1               # ... and line (optional), column (optional)
      exit_code: 1
      stderr_contains: "..."      # for usage errors (optional)
      max_seconds: 10       # wall-time bound (optional)

Text content may hold `@MARKER@`: the absolute path of a file side-effect cases try to create.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generators
import yaml

from helpers import CASES, DELETE, build_file_tree, materialise_case

CORPUS = Path(__file__).parent
REPO = CORPUS.parents[1]
DEFAULT_ARGV = ("validate", "{project}", "--format", "json")
SUBPROCESS_TIMEOUT_S = 120


@dataclass(frozen=True)
class Case:
    """One corpus entry."""

    id: str
    category: str
    files: Mapping[str, Any]
    expect: Mapping[str, Any]
    argv: tuple[str, ...] = DEFAULT_ARGV
    subprocess: bool = False
    slow: bool = False
    xfail: str = ""


@dataclass(frozen=True)
class Sandbox:
    """Where a case runs: the project, a private HOME and TMPDIR, and a side-effect marker."""

    root: Path
    project: Path = field(init=False)
    home: Path = field(init=False)
    tmp: Path = field(init=False)
    marker: Path = field(init=False)

    def __post_init__(self) -> None:
        for name, sub in (("project", "p"), ("home", "home"), ("tmp", "tmp")):
            object.__setattr__(self, name, self.root / sub)
        object.__setattr__(self, "marker", self.root / "marker" / "SIDE_EFFECT_RAN")
        for path in (self.home, self.tmp, self.marker.parent):
            path.mkdir(parents=True)


@dataclass(frozen=True)
class Outcome:
    """What one CLI call did."""

    code: int
    out: str
    err: str
    seconds: float

    def findings(self) -> list[dict[str, Any]]:
        """The JSON findings printed on stdout (empty when stdout is not JSON)."""
        try:
            parsed = json.loads(self.out or "[]")
        except json.JSONDecodeError:
            return []
        return parsed if isinstance(parsed, list) else []


def load_cases_raw(category: str) -> list[dict[str, Any]]:
    """The `cases:` list of `tests/corpus/CATEGORY.yaml` as written."""
    cases: list[dict[str, Any]] = yaml.safe_load(
        (CORPUS / f"{category}.yaml").read_text(encoding="utf-8"))["cases"]
    return cases


def load_cases(category: str) -> list[Case]:
    """Every case of `tests/corpus/CATEGORY.yaml`."""
    return [
        Case(
            id=raw["id"], category=category, files=raw.get("files", {}), expect=raw["expect"],
            argv=tuple(raw.get("argv", DEFAULT_ARGV)), subprocess=raw.get("subprocess", False),
            slow=raw.get("slow", False), xfail=raw.get("xfail", ""),
        )
        for raw in load_cases_raw(category)
    ]


def content(spec: Any, relative: str, marker: Path) -> str | bytes:
    """The bytes or text a `files:` entry stands for."""
    if isinstance(spec, str):
        return spec.replace("@MARKER@", str(marker))
    if "base64" in spec:
        return base64.b64decode(spec["base64"])
    if "generate" in spec:
        result: str | bytes = getattr(generators, spec["generate"])(**spec.get("args", {}))
        return result
    text = (CASES / "base" / relative).read_text(encoding="utf-8")
    for old, new in spec.get("replace", []):
        assert old in text, f"{relative}: {old!r} not in the base file"
        text = text.replace(old, new)
    return text + spec.get("append", "")


def build_project(case: Case, sandbox: Sandbox) -> Path:
    """The base project with the case's files overlaid."""
    materialise_case(CASES / "valid" / "__none__", sandbox.project)
    special = {path: spec for path, spec in case.files.items() if _is_special(spec)}
    files = {
        relative: spec if spec == DELETE else content(spec, relative, sandbox.marker)
        for relative, spec in case.files.items()
        if relative not in special
    }
    build_file_tree(sandbox.project, files)
    for relative, spec in special.items():
        _make_special(sandbox.project / relative, spec, sandbox)
    return sandbox.project


def _is_special(spec: Any) -> bool:
    return isinstance(spec, dict) and ("symlink" in spec or "fifo" in spec or "mkdir" in spec)


def _make_special(path: Path, spec: Mapping[str, Any], sandbox: Sandbox) -> None:
    """A symlink (`{symlink: TARGET}`, `@ROOT@` = sandbox root), a FIFO or a directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() or path.is_symlink():
        path.unlink()
    if "symlink" in spec:
        path.symlink_to(str(spec["symlink"]).replace("@ROOT@", str(sandbox.root)))
    elif "fifo" in spec:
        os.mkfifo(path)
    else:
        path.mkdir()


def argv_for(case: Case, sandbox: Sandbox) -> list[str]:
    """The case's argv with placeholders filled in."""
    values = {"project": str(sandbox.project),
              "root": str(sandbox.root), "repo": str(REPO)}
    return [arg.format(**values) for arg in case.argv]


def sandbox_env(sandbox: Sandbox) -> dict[str, str]:
    """The environment of a subprocess run: private HOME and TMPDIR, this venv's Python."""
    return {**os.environ, "HOME": str(sandbox.home), "TMPDIR": str(sandbox.tmp),
            "PYTHONDONTWRITEBYTECODE": "1"}


def run_subprocess(argv: list[str], sandbox: Sandbox, timeout: float = SUBPROCESS_TIMEOUT_S,
                   ) -> Outcome:
    """`python -m kfp_templates ARGV` in a fresh interpreter, cwd the sandbox root."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "kfp_templates", *argv], cwd=sandbox.root, env=sandbox_env(sandbox),
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    return Outcome(result.returncode, result.stdout, result.stderr, time.perf_counter() - start)


def tree_snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Relative path -> (size, mtime_ns) of every file and directory under `root`."""
    return {
        path.relative_to(root).as_posix(): (path.lstat().st_size, path.lstat().st_mtime_ns)
        for path in _walk(root)
    }


def _walk(root: Path) -> Iterator[Path]:
    for directory, subdirs, files in os.walk(root):
        for name in [*subdirs, *files]:
            yield Path(directory) / name


def case_ids(cases: list[Case]) -> list[str]:
    """pytest ids."""
    return [case.id for case in cases]


def default_path(case: Case) -> str | None:
    """The expected finding's path: given, or the only file the case writes."""
    if "path" in case.expect:
        return str(case.expect["path"])
    written = [path for path, spec in case.files.items() if spec != DELETE]
    return written[0] if len(written) == 1 else None
