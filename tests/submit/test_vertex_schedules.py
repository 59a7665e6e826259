"""`submit --schedule` and `schedules list|delete` on Vertex AI, real aiplatform client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loopback_servers import LoopbackServer, VertexFake
from submit_project import BUCKET, SERVICE_ACCOUNT

from kfp_templates._cli.main import main

Vertex = tuple[VertexFake, LoopbackServer]


def test_schedule_create_list_delete(project: Path, pipeline_yaml: Path, vertex: Vertex,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    fake, server = vertex
    endpoint = ["--api-endpoint", server.url]
    assert main(["submit", str(project), "--pipeline", str(pipeline_yaml), *endpoint,
                 "--schedule", "TZ=Europe/Amsterdam 0 3 * * 1", "--max-concurrent-runs", "2"]) == 0
    [create] = server.received("POST", r"/schedules$")
    body = create.json
    assert body["cron"] == "TZ=Europe/Amsterdam 0 3 * * 1"
    assert body["maxConcurrentRunCount"] == "2"
    assert body["displayName"] == "nightly-train"
    request = body["createPipelineJobRequest"]
    assert request["parent"] == "projects/my-project-123/locations/europe-west4"
    job = request["pipelineJob"]
    assert job["serviceAccount"] == SERVICE_ACCOUNT
    assert job["runtimeConfig"]["gcsOutputDirectory"] == f"gs://{BUCKET}/root"
    assert job["runtimeConfig"]["parameterValues"]["target_column"] == "label"
    assert job["labels"]["kfp-template"] == "case_base"
    assert job["pipelineSpec"]["pipelineInfo"]["name"] == "case-base"
    assert "created schedule projects/my-project-123/locations/europe-west4/schedules/1" in (
        capsys.readouterr().out)

    assert main(["schedules", "list", str(project), *endpoint, "--format", "json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["cron"] == "TZ=Europe/Amsterdam 0 3 * * 1"
    assert listed["state"] == "ACTIVE"
    assert listed["max_concurrent_runs"] == 2

    assert main(["schedules", "delete", "1", str(project), *endpoint]) == 0
    assert server.received("DELETE", r"/schedules/1$")
    assert fake.schedules == {}
    capsys.readouterr()
    assert main(["schedules", "delete", "1", str(project), *endpoint]) == 1
    err = capsys.readouterr().err
    assert "404 not found" in err
    assert "Traceback" not in err


def test_list_when_there_are_none(project: Path, vertex: Vertex,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _fake, server = vertex
    assert main(["schedules", "list", str(project), "--api-endpoint", server.url]) == 0
    assert capsys.readouterr().out.strip() == "no schedules"


@pytest.mark.parametrize("cron", ["0 3 * *", "every day", "0 3 * * * *"])
def test_bad_cron_is_refused_before_any_request(project: Path, pipeline_yaml: Path,
                                                vertex: Vertex, cron: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _fake, server = vertex
    assert main(["submit", str(project), "--pipeline", str(pipeline_yaml),
                 "--api-endpoint", server.url, "--schedule", cron]) == 2
    assert "five-field cron" in capsys.readouterr().err
    assert server.requests == []


def test_permission_denied_on_schedule(project: Path, pipeline_yaml: Path, vertex: Vertex,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    _fake, server = vertex
    server.fail("POST", r"/schedules$", 403)
    assert main(["submit", str(project), "--pipeline", str(pipeline_yaml),
                 "--api-endpoint", server.url, "--schedule", "0 3 * * *"]) == 1
    err = capsys.readouterr().err
    assert "create the pipeline schedule: Vertex AI answered 403 permission denied" in err
    assert "roles/aiplatform.user" in err


def test_schedules_work_while_user_code_is_broken(project: Path, vertex: Vertex) -> None:
    _fake, server = vertex
    (project / "user" / "train.py").write_text("syntax error here(\n")
    assert main(["schedules", "list", str(project), "--api-endpoint", server.url]) == 0


@pytest.mark.parametrize("engine", ["vertex", "kfp"])
def test_bad_schedule_is_usage_error_before_any_request(
        project: Path, pipeline_yaml: Path, vertex: Vertex, engine: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`61 25 * * *` has five fields; only a real cron parser sees the minute and hour are wrong."""
    _fake, server = vertex
    assert main(["submit", str(project), "--pipeline", str(pipeline_yaml), "--engine", engine,
                 "--api-endpoint", server.url, "--schedule", "61 25 * * *"]) == 2
    err = capsys.readouterr().err
    assert "'61 25 * * *' has a value out of range" in err
    assert "Traceback" not in err
    assert server.requests == []
