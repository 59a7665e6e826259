"""The warm local runner: where it hooks into kfp.local, which steps it forks, and that its runs
give what kfp.local's SubprocessRunner gives (artifact bytes, metrics) on every template."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kfp.local import subprocess_task_handler
from kfp_helpers import cli

from kfp_templates._kfp import warm_runner
from kfp_templates._kfp.warm_runner import (
    HookMoved,
    StepCommand,
    check_hook,
    libraries_imported_by,
    parse_step_command,
)

TEMPLATES = ("tabular_training", "batch_prediction", "custom_component")


def test_kfp_still_has_the_hook_the_warm_runner_uses() -> None:
    """Fails with the name of what moved when a kfp release moves the hook (decision 15)."""
    try:
        check_hook()
    except HookMoved as moved:
        pytest.fail(f"kfp moved the warm runner's hook: {moved}; see docs/decisions/0015")


def _gone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(subprocess_task_handler, "run_local_subprocess")


def _renamed_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    def run_local_subprocess(command: list[str], env_vars: Any = None) -> int:
        return 0

    monkeypatch.setattr(subprocess_task_handler, "run_local_subprocess", run_local_subprocess)


def _not_called(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(self: Any) -> Any:
        return None

    monkeypatch.setattr(subprocess_task_handler.SubprocessTaskHandler, "run", run)


def _new_script(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm_runner, "_compiled_step_command",
                        lambda: ["sh", "-ec", "python3 -m kfp.dsl.executor_main", "src"])


@pytest.mark.parametrize(("move", "named"), [
    (_gone, "kfp.local.subprocess_task_handler.run_local_subprocess is gone"),
    (_renamed_parameter, "now takes ['command', 'env_vars']"),
    (_not_called, "SubprocessTaskHandler.run no longer calls"),
    (_new_script, "step script changed"),
])
def test_a_moved_hook_is_named(
    monkeypatch: pytest.MonkeyPatch, move: Callable[[pytest.MonkeyPatch], None], named: str
) -> None:
    move(monkeypatch)
    with pytest.raises(HookMoved, match=named.replace("[", r"\[").replace("]", r"\]")):
        check_hook()


def test_only_kfp_s_plain_step_script_run_by_this_python_is_forked() -> None:
    command = warm_runner._compiled_step_command()
    assert parse_step_command(command, "python3") == StepCommand(command[3], tuple(command[4:]))
    mine = [part.replace("python3", sys.executable) for part in command[:3]] + command[3:]
    assert parse_step_command(mine, sys.executable) is not None
    assert parse_step_command(mine, "/other/python") is None  # another interpreter: kfp's way
    pip = ["sh", "-c", "python3 -m pip install pandas && \"$0\" \"$@\"", *command]
    assert parse_step_command(pip, "python3") is None  # installs first: kfp's way
    assert parse_step_command(["sh", "-c", "echo hi"], "python3") is None  # a container step


def test_the_zygote_preloads_installed_libraries_only(tmp_path: Path) -> None:
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "train.py").write_text(
        "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
        "from user.helpers import x\nfrom . import sibling\nimport not_installed_anywhere\n"
    )
    (tmp_path / "user" / "broken.py").write_text("def (:\n")
    step = "def ingest():\n    import json\n    from user.train import train\n"
    found = libraries_imported_by([step], tmp_path / "user")
    assert found == {"pandas", "sklearn.linear_model", "json"}


def _run_copy(project: Path, runner: str) -> int:
    """`run --local --runner RUNNER --format json` on a copy of `project`; its exit code."""
    project_copy = project.parent / f"{project.name}-{runner}"
    shutil.copytree(project, project_copy)
    return cli("run", "--local", "--runner", runner, "--format", "json", str(project_copy))


@pytest.mark.slow
@pytest.mark.parametrize("name", TEMPLATES)
def test_warm_and_subprocess_runs_give_identical_outputs(
    name: str, template_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy(name)
    runs = {}
    for runner in ("subprocess", "warm"):
        code = _run_copy(project, runner)
        document = json.loads(capsys.readouterr().out)
        assert code == 0 and document["status"] == "ok", document
        runs[runner] = (document, _files(Path(document["run_dir"])))
    (cold, cold_files), (warm, warm_files) = runs["subprocess"], runs["warm"]
    assert warm_files == cold_files
    assert warm["metrics"] == cold["metrics"]
    # kfp.local orders independent steps (batch_prediction's ingest and sample-model) as the
    # pipeline spec's protobuf map of tasks iterates, which differs from process to process
    # with either runner (kfp.local.graph_utils.topological_sort): the same steps, in an order
    # that may differ between any two runs.
    assert sorted(step["step"] for step in warm["steps"]) == sorted(
        step["step"] for step in cold["steps"]
    )
    if name == "tabular_training":
        assert {row["name"] for row in warm["metrics"]} == {"accuracy", "f1"}


def _files(run_dir: Path) -> dict[str, Any]:
    """Each file's bytes; JSON files parsed with the run directory replaced (kfp writes their
    keys in hash order, and paths name the run)."""
    files: dict[str, Any] = {}
    for path in sorted(p for p in run_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name.endswith(".json"):
            files[str(path.relative_to(run_dir))] = json.loads(
                data.decode().replace(str(run_dir), "RUN"))
        else:
            files[str(path.relative_to(run_dir))] = data
    return files
