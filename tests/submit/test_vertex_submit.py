"""`submit --engine vertex`: the real aiplatform client against a loopback Vertex AI fake."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from case_pipeline import compile_other_pipeline
from loopback_servers import LoopbackServer, VertexFake, serving
from submit_project import BUCKET, KMS_KEY, NETWORK, SERVICE_ACCOUNT, make_project

from kfp_templates._cli.main import main

Vertex = tuple[VertexFake, LoopbackServer]
JOBS = r"/pipelineJobs$"


def submit(project: Path, pipeline: Path, server: LoopbackServer, *extra: str) -> int:
    return main(["submit", str(project), "--pipeline", str(pipeline),
                 "--api-endpoint", server.url, "--poll-interval", "0.01", *extra])


def expected_spec(pipeline: Path, enable_cache: bool) -> dict[str, Any]:
    """The compiled spec with aiplatform's caching override applied to every task."""
    spec = yaml.safe_load(pipeline.read_text())
    for component in [spec["root"], *spec["components"].values()]:
        for task in component.get("dag", {}).get("tasks", {}).values():
            task["cachingOptions"] = {"enableCache": enable_cache}
    return spec


def test_submit_sends_the_whole_job(project: Path, pipeline_yaml: Path, vertex: Vertex,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    _fake, server = vertex
    assert submit(project, pipeline_yaml, server) == 0
    [create] = server.received("POST", JOBS)
    assert create.path == "/v1/projects/my-project-123/locations/europe-west4/pipelineJobs"
    body = create.json
    assert body["displayName"] == "nightly-train"
    assert body["pipelineSpec"] == expected_spec(pipeline_yaml, enable_cache=False)
    assert body["runtimeConfig"] == {
        "gcsOutputDirectory": f"gs://{BUCKET}/root",
        "parameterValues": {"target_column": "label", "test_fraction": 0.25, "n_rows": 100},
    }
    assert body["serviceAccount"] == SERVICE_ACCOUNT
    assert body["network"] == NETWORK
    assert body["encryptionSpec"] == {"kmsKeyName": KMS_KEY}
    labels = body["labels"]
    assert labels["team"] == "forecasting"
    assert labels["cost-center"] == "ml-42"
    assert labels["kfp-template"] == "case_base"
    assert labels["kfp-template-version"] == "1-0-0"
    assert re.fullmatch(r"[0-9a-f]{12}", labels["kfp-user-code"])
    assert all(re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", key) for key in labels)
    assert "authorization" not in create.headers  # loopback emulators never get a token
    out = capsys.readouterr().out
    job_id = create.query["pipelineJobId"][0]
    assert f"/pipelines/runs/{job_id}?project=my-project-123" in out
    assert "Creating PipelineJob" not in out  # aiplatform's own logging stays quiet


def test_user_code_change_changes_the_label(project: Path, pipeline_yaml: Path,
                                            vertex: Vertex) -> None:
    _fake, server = vertex
    assert submit(project, pipeline_yaml, server) == 0
    with (project / "user" / "train.py").open("a") as handle:
        handle.write("\n# tuned\n")
    assert submit(project, pipeline_yaml, server) == 0
    first, second = (r.json["labels"]["kfp-user-code"] for r in server.received("POST", JOBS))
    assert first != second


@pytest.mark.parametrize(
    ("states", "code", "shown"),
    [
        (["PIPELINE_STATE_RUNNING", "PIPELINE_STATE_RUNNING", "PIPELINE_STATE_SUCCEEDED"], 0,
         ["PIPELINE_STATE_RUNNING", "PIPELINE_STATE_SUCCEEDED"]),
        (["PIPELINE_STATE_PENDING", "PIPELINE_STATE_RUNNING", "PIPELINE_STATE_FAILED"], 1,
         ["PIPELINE_STATE_PENDING", "PIPELINE_STATE_RUNNING", "PIPELINE_STATE_FAILED"]),
    ],
)
def test_wait_streams_states_until_the_end(
    project: Path, pipeline_yaml: Path, vertex: Vertex, capsys: pytest.CaptureFixture[str],
    states: list[str], code: int, shown: list[str],
) -> None:
    fake, server = vertex
    fake.job_states = states
    assert submit(project, pipeline_yaml, server, "--wait") == code
    captured = capsys.readouterr()
    printed = re.findall(r"state: (\S+)", captured.err)
    assert printed == shown
    if code:
        assert "ended PIPELINE_STATE_FAILED: The DAG failed" in captured.err
        assert "hint: open https://console.cloud.google.com/" in captured.err
        assert "Traceback" not in captured.err


@pytest.mark.parametrize("status", [429, 503])
def test_aiplatform_retries_transient_reads(project: Path, pipeline_yaml: Path, vertex: Vertex,
                                            status: int) -> None:
    """aiplatform retries GETs on 429/5xx itself (api-core's default Retry, about 1 s first)."""
    fake, server = vertex
    fake.job_states = ["PIPELINE_STATE_RUNNING", "PIPELINE_STATE_SUCCEEDED"]
    server.fail("GET", r"/pipelineJobs/", status, count=1)
    assert submit(project, pipeline_yaml, server, "--wait") == 0
    gets = server.received("GET", r"/pipelineJobs/")
    assert len(gets) == 3  # the failed one, its retry, then the poll that saw SUCCEEDED


@pytest.mark.parametrize(
    ("status", "code", "message", "hint"),
    [
        (400, 1, "400 bad request", "config.yaml"),
        (403, 1, "403 permission denied", "roles/aiplatform.user"),
        (404, 1, "404 not found", "gcp.project and gcp.region"),
        (409, 1, "409 already exists", "change run.display_name"),
        (429, 1, "429 too many requests", "quota"),
        (500, 1, "500 server error", "retry in a few minutes"),
        (503, 1, "503 server error", "retry in a few minutes"),
    ],
)
def test_service_errors_become_messages_with_fixes(
    project: Path, pipeline_yaml: Path, vertex: Vertex, capsys: pytest.CaptureFixture[str],
    status: int, code: int, message: str, hint: str,
) -> None:
    _fake, server = vertex
    server.fail("POST", JOBS, status)
    assert submit(project, pipeline_yaml, server) == code
    err = capsys.readouterr().err
    assert f"error: submit the pipeline job: Vertex AI answered {message}" in err
    assert hint in err
    assert "Traceback" not in err
    # creating a job is not idempotent: never retried, so never created twice
    assert len(server.received("POST", JOBS)) == 1


def test_missing_bucket_is_caught_before_submitting(
    tmp_path: Path, pipeline_yaml: Path, vertex: Vertex, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake, server = vertex
    project = make_project(tmp_path, run={"pipeline_root": "gs://no-such-bucket/root"})
    assert submit(project, pipeline_yaml, server) == 1
    err = capsys.readouterr().err
    assert "gs://no-such-bucket does not exist" in err
    assert "gcloud storage buckets create gs://no-such-bucket --location europe-west4" in err
    assert server.received("POST", JOBS) == []


def test_unknown_parameter_is_a_consumer_error(
    project: Path, tmp_path: Path, vertex: Vertex, capsys: pytest.CaptureFixture[str]
) -> None:
    other = compile_other_pipeline(tmp_path / "other.yaml")
    _fake, server = vertex
    assert submit(project, other, server) == 1
    err = capsys.readouterr().err
    assert "cannot build the pipeline job" in err
    assert "target_column" in err
    assert server.received("POST", JOBS) == []


def test_unreachable_endpoint(project: Path, pipeline_yaml: Path, storage_emulator: str,
                              resource_manager: None,
                              capsys: pytest.CaptureFixture[str]) -> None:
    closed = LoopbackServer([])
    with serving(closed):
        url = closed.url  # the port is closed again once the block ends
    assert main(["submit", str(project), "--pipeline", str(pipeline_yaml),
                 "--api-endpoint", url]) == 1
    err = capsys.readouterr().err
    assert "cannot reach Vertex AI" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("key_file", [None, "{not json"])
def test_missing_or_bad_credentials(
    project: Path, pipeline_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], key_file: str | None,
) -> None:
    from google.auth.compute_engine import _metadata  # noqa: PLC0415 - heavy, only here

    monkeypatch.setattr(_metadata, "_NO_GCE_CHECK", True)  # never probe a metadata server
    monkeypatch.delenv("STORAGE_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("GCE_METADATA_HOST", "127.0.0.1:9")
    if key_file is not None:
        (tmp_path / "key.json").write_text(key_file)
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "key.json"))
    assert main(["submit", str(project), "--pipeline", str(pipeline_yaml)]) == 1
    err = capsys.readouterr().err
    assert "no usable Google credentials" in err
    assert "gcloud auth application-default login" in err
    assert "Traceback" not in err


def test_validation_errors_stop_submission(project: Path, pipeline_yaml: Path, vertex: Vertex,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _fake, server = vertex
    (project / "user" / "train.py").write_text("def something_else():\n    pass\n")
    assert submit(project, pipeline_yaml, server) == 1
    err = capsys.readouterr().err
    assert "nothing was submitted" in err
    assert server.requests == []


def test_empty_project_id_is_refused(tmp_path: Path, pipeline_yaml: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, gcp={"project": "", "region": "europe-west4"})
    assert main(["submit", str(project), "--pipeline", str(pipeline_yaml)]) == 1
    assert "gcp.project and gcp.region must be set" in capsys.readouterr().err


def test_compiling_for_submission_needs_a_current_pushed_image(
    tmp_path: Path, vertex: Vertex, capsys: pytest.CaptureFixture[str]
) -> None:
    """The `:local` placeholder runs nowhere remote, so submit refuses to compile with it."""
    _fake, server = vertex
    project = make_project(tmp_path)
    argv = ["submit", str(project), "--api-endpoint", server.url]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "no pushed image holds this project's current code: nothing has been built yet" in err
    assert "kfp-templates build --push" in err and "Traceback" not in err
    assert server.received("POST", JOBS) == []
