"""The table at the end of `run --local`: steps, metrics read from the run's files, outputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from google.protobuf import json_format
from kfp_helpers import prepare_without_validation

from kfp_templates._kfp.context import TemplateContext
from kfp_templates._kfp.loader import build_pipeline
from kfp_templates._kfp.local_run import LocalRunResult
from kfp_templates._kfp.local_summary import metric_outputs, outputs_of, summary, summary_text


def test_metric_outputs_are_read_from_the_built_pipeline_under_conditions_too(
    template_copy: Callable[[str], Path],
) -> None:
    prepared = prepare_without_validation(template_copy("tabular_training"))
    context = TemplateContext("img:1", prepared.config, prepared.layout.root,
                              prepared.layout.template_dir)
    spec = json_format.MessageToDict(build_pipeline(prepared.ref, context).pipeline_spec)
    assert metric_outputs(spec) == {"evaluate": ["metrics"]}


def _write(path: Path, document: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


def _run_dir(tmp_path: Path) -> Path:
    run = tmp_path / "run"
    artifact = {"artifacts": [{"name": "metrics", "metadata": {"accuracy": 0.875, "rows": 50}}]}
    _write(run / "evaluate" / "executor_output.json", {"artifacts": {"metrics": artifact}})
    matrix = {"confusionMatrix": {"rows": [[3, 1], [0, 4]]}}
    _write(run / "judge" / "executor_output.json",
           {"artifacts": {"cm": {"artifacts": [{"name": "cm", "metadata": matrix}]}}})
    (run / "train").mkdir()
    (run / "train" / "model").write_bytes(b"m")
    return run


def test_the_summary_names_steps_metrics_and_outputs(tmp_path: Path) -> None:
    run = _run_dir(tmp_path)
    result = LocalRunResult(
        "ok", run, step_seconds={"train": 1.25, "evaluate": 0.5, "judge": 0.1},
        step_status={"train": "SUCCESS", "evaluate": "SUCCESS", "judge": "SUCCESS"},
        metric_outputs={"evaluate": ("metrics",), "judge": ("cm",), "skipped": ("metrics",)},
        seconds=2.0, exit_code=0)
    document = summary(result, {"train": "train_model"})
    assert document["steps"][0] == {"step": "train_model", "status": "SUCCESS", "seconds": 1.25}
    assert document["metrics"] == [
        {"step": "evaluate", "artifact": "metrics", "name": "accuracy", "value": 0.875},
        {"step": "evaluate", "artifact": "metrics", "name": "rows", "value": 50},
        {"step": "judge", "artifact": "cm", "name": "confusionMatrix",
         "value": {"rows": [[3, 1], [0, 4]]}},
    ]
    assert summary_text(document).splitlines() == [
        "step         status   time",
        "train_model  SUCCESS  1.2s",
        "evaluate     SUCCESS  0.5s",
        "judge        SUCCESS  0.1s",
        "",
        "step      metric           value",
        "evaluate  accuracy         0.875",
        "evaluate  rows             50",
        'judge     confusionMatrix  {"rows":[[3,1],[0,4]]}',
        "",
        f"outputs: {run}",
    ]
    assert outputs_of(run) == ["train/model"]


def test_a_failed_step_is_listed_with_its_status(tmp_path: Path) -> None:
    result = LocalRunResult("timeout", None, step="train", step_seconds={"ingest": 0.5},
                            step_status={"ingest": "SUCCESS"})
    document = summary(result, {})
    assert [row["status"] for row in document["steps"]] == ["SUCCESS", "TIMEOUT"]
    assert document["metrics"] == [] and document["run_dir"] is None
    assert "outputs:" not in summary_text(document)
