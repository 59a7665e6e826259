"""`kfp-templates run --local`: each template end to end on kfp.local, failures and timeouts.

These really run the pipelines (kfp.local's subprocess runner, the reference user/ code), so they
are marked slow: about 10 to 20 seconds each on two cores.
"""

from __future__ import annotations

import csv
import json
import pickle
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from kfp_helpers import cli, executor_output, run_dir_of
from sklearn.linear_model import LogisticRegression

from kfp_templates._kfp.local_run import LocalRunRequest, run_local
from kfp_templates._layout import find_layout
from kfp_templates._project_loader import load_project

pytestmark = pytest.mark.slow


def test_tabular_training_trains_evaluates_and_registers(
    template_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("tabular_training")
    assert cli("run", "--local", str(project)) == 0
    out, err = capsys.readouterr()
    run_dir = run_dir_of(project, "tabular-training")
    assert str(run_dir) in out and "register-model/registered_model/model_card.json" in out
    assert "steps.train.cpu is not honoured by local runs" in err
    metrics = executor_output(run_dir, "evaluate")
    accuracy = metrics["parameterValues"]["Output"]
    assert 0.7 <= accuracy <= 1.0
    assert metrics["artifacts"]["metrics"]["artifacts"][0]["metadata"]["accuracy"] == accuracy
    assert len(pd.read_parquet(run_dir / "preprocess" / "test_data")) == 50  # 25% of 200 rows
    card = json.loads((run_dir / "register-model/registered_model/model_card.json").read_text())
    assert card == {
        "name": "reference-model",
        "metric": "accuracy",
        "value": accuracy,
        "framework": "sklearn",
        "source_uri": str(run_dir / "train" / "model"),
    }


def test_tabular_training_skips_registration_below_the_threshold(
    template_copy: Callable[[str], Path],
) -> None:
    project = template_copy("tabular_training")
    config = project / "reference" / "config.yaml"
    config.write_text(config.read_text().replace("threshold: 0.7", "threshold: 1.01"))
    assert cli("run", "--local", str(project)) == 0
    assert not (run_dir_of(project, "tabular-training") / "register-model").exists()


def test_batch_prediction_scores_every_row(template_copy: Callable[[str], Path]) -> None:
    project = template_copy("batch_prediction")
    assert cli("run", str(project)) == 0  # without --local: local is the default
    run_dir = run_dir_of(project, "batch-prediction")
    with (run_dir / "predict" / "predictions").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 50
    assert {row["prediction"] for row in rows} <= {"0", "1"}
    assert list(rows[0]) == ["x0", "x1", "x2", "x3", "prediction"]


def _imported_model_project(project: Path, predict_body: str = "", timeout: int = 300) -> None:
    """Point batch_prediction at a model file and a CSV made here (importer path, no sample).

    `timeout` bounds each step; the steps before `predict` must finish within it even on a
    loaded machine, so only the hanging-step test makes it short.
    """
    reference = project / "reference"
    frame = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "b": [1.0, 0.0, 1.0, 0.0]})
    frame.to_csv(reference / "rows.csv", index=False)
    with (reference / "model.pkl").open("wb") as handle:
        pickle.dump(LogisticRegression().fit(frame, [0, 1, 0, 1]), handle)
    (reference / "config.yaml").write_text(
        f"parameters: {{model_uri: {reference / 'model.pkl'}, source: {reference / 'rows.csv'}}}\n"
        f"run: {{local: {{step_timeout_seconds: {timeout}}}}}\n"
    )
    if predict_body:
        predict = reference / "user" / "predict.py"
        predict.write_text(predict.read_text() + predict_body)


def test_batch_prediction_imports_a_model_by_uri(template_copy: Callable[[str], Path]) -> None:
    project = template_copy("batch_prediction")
    _imported_model_project(project)
    assert cli("run", "--local", str(project)) == 0
    run_dir = run_dir_of(project, "batch-prediction")
    predictions = pd.read_csv(run_dir / "predict" / "predictions")
    assert predictions["prediction"].tolist() == [0, 1, 0, 1]
    assert not (run_dir / "sample-model").exists()


def test_a_hanging_step_is_stopped_at_the_timeout(
    template_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("batch_prediction")
    hang = (
        "\n\ndef predict(model: Any, df: pd.DataFrame) -> pd.Series:\n"
        "    import time\n    time.sleep(600)\n    return df.iloc[:, 0]\n"
    )
    _imported_model_project(project, hang, timeout=25)
    assert cli("run", "--local", str(project)) == 1
    err = capsys.readouterr().err
    assert "step 'predict' timed out: ran longer than step_timeout_seconds=25" in err


def test_a_failing_user_function_names_the_step_and_shows_its_traceback(
    template_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("tabular_training")
    preprocess = project / "reference" / "user" / "preprocess.py"
    preprocess.write_text(
        preprocess.read_text().replace(
            '    target = params["target_column"]', "    raise ValueError('no good rows')"
        )
    )
    assert cli("run", "--local", str(project)) == 1
    err = capsys.readouterr().err
    assert "error: step 'preprocess' failed: ValueError: no good rows" in err
    assert f'File "{preprocess}", line' in err
    assert "kfp_templates" not in err.split("error: step")[1]  # no frames of ours
    assert "executor_main" not in err


def test_custom_component_runs_with_an_imported_input(template_copy: Callable[[str], Path]) -> None:
    # Through the API, loaded and validated as the CLI loads it.
    prepared, validation = load_project(find_layout(template_copy("custom_component")))
    assert prepared is not None, validation.findings
    root = prepared.layout.root / "local_outputs"
    result = run_local(
        LocalRunRequest(
            prepared.ref, prepared.layout.root, "img:1", prepared.config, root, 60, root / "log.txt"
        )
    )
    assert result.ok, result
    assert result.run_dir is not None
    scaled = pd.read_csv(result.run_dir / "component" / "scaled")
    assert scaled["value"].tolist() == [3.0, 7.5, 12.0, 1.5]
    summary = executor_output(result.run_dir, "component")["artifacts"]["summary"]
    assert summary["artifacts"][0]["metadata"] == {"mean": 6.0, "rows": 4}
    assert set(result.step_seconds) == {"importer", "component"}


def test_custom_component_runs_from_the_cli(template_copy: Callable[[str], Path]) -> None:
    project = template_copy("custom_component")
    assert cli("run", "--local", str(project)) == 0
