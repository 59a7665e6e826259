"""`submit --engine kfp` and KFP recurring runs: the real kfp.Client against a loopback fake."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from loopback_servers import KfpFake, LoopbackServer, serving
from submit_project import make_project

from kfp_templates._cli.main import main

Kfp = tuple[KfpFake, LoopbackServer]


def kfp_project(tmp_path: Path, server: LoopbackServer) -> Path:
    return make_project(tmp_path, run={
        "display_name": "nightly-train", "pipeline_root": "minio://kfp/root",
        "enable_caching": False,
        "kfp": {"host": server.url, "namespace": "team-a", "experiment": "forecasting"},
    })


def test_run_carries_spec_parameters_and_experiment(
    tmp_path: Path, pipeline_yaml: Path, kfp_server: Kfp, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake, server = kfp_server
    project = kfp_project(tmp_path, server)
    assert main(["submit", str(project), "--engine", "kfp", "--pipeline", str(pipeline_yaml)]) == 0
    [experiment] = server.received("POST", r"/experiments$")
    assert experiment.json == {"display_name": "forecasting", "namespace": "team-a"}
    [run] = server.received("POST", r"/runs$")
    body = run.json
    assert body["display_name"] == "nightly-train"
    assert body["experiment_id"] == "exp-1"
    assert body["runtime_config"] == {
        "pipeline_root": "minio://kfp/root",
        "parameters": {"target_column": "label", "test_fraction": 0.25, "n_rows": 100},
    }
    spec = body["pipeline_spec"]
    compiled = yaml.safe_load(pipeline_yaml.read_text())
    assert spec["pipelineInfo"] == compiled["pipelineInfo"]
    assert spec["deploymentSpec"] == compiled["deploymentSpec"]
    tasks = spec["root"]["dag"]["tasks"]
    assert all(task["cachingOptions"] == {} for task in tasks.values())  # caching off
    out = capsys.readouterr().out
    assert f"{server.url}/#/runs/details/run-2" in out
    assert "Experiment details" not in out  # kfp.Client's own prints are kept off stdout


def test_existing_experiment_is_reused(tmp_path: Path, pipeline_yaml: Path,
                                       kfp_server: Kfp) -> None:
    _fake, server = kfp_server
    project = kfp_project(tmp_path, server)
    for _ in range(2):
        assert main(["submit", str(project), "--engine", "kfp",
                     "--pipeline", str(pipeline_yaml)]) == 0
    assert len(server.received("POST", r"/experiments$")) == 1
    assert len(server.received("POST", r"/runs$")) == 2


@pytest.mark.parametrize(
    ("states", "code"),
    [(["PENDING", "RUNNING", "SUCCEEDED"], 0), (["RUNNING", "FAILED"], 1)],
)
def test_wait_follows_the_run(tmp_path: Path, pipeline_yaml: Path, kfp_server: Kfp,
                              capsys: pytest.CaptureFixture[str], states: list[str],
                              code: int) -> None:
    fake, server = kfp_server
    fake.run_states = states
    project = kfp_project(tmp_path, server)
    assert main(["submit", str(project), "--engine", "kfp", "--pipeline", str(pipeline_yaml),
                 "--wait", "--poll-interval", "0.01"]) == code
    captured = capsys.readouterr()
    assert re.findall(r"state: (\S+)", captured.err) == states
    if code:
        assert "the run ended FAILED: step train failed" in captured.err


@pytest.mark.parametrize(
    ("status", "message", "hint"),
    [
        (403, "403 permission denied", "run.kfp.namespace"),
        (404, "404 not found", "run.kfp.host"),
        (409, "409 already exists", "change run.display_name"),
        (429, "429 too many requests", "retry"),
        (500, "500 server error", "retry in a few minutes"),
    ],
)
def test_server_errors_on_create(tmp_path: Path, pipeline_yaml: Path, kfp_server: Kfp,
                                 capsys: pytest.CaptureFixture[str], status: int,
                                 message: str, hint: str) -> None:
    _fake, server = kfp_server
    server.fail("POST", r"/runs$", status, body={"error_message": "nope", "code": 7,
                                                  "message": "fake says no"})
    project = kfp_project(tmp_path, server)
    assert main(["submit", str(project), "--engine", "kfp",
                 "--pipeline", str(pipeline_yaml)]) == 1
    err = capsys.readouterr().err
    assert f"submit the run: the KFP API server answered {message}: fake says no" in err
    assert hint in err
    assert "Traceback" not in err
    assert len(server.received("POST", r"/runs$")) == 1


def test_unreachable_host(tmp_path: Path, pipeline_yaml: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    closed = LoopbackServer([])
    with serving(closed):
        pass
    project = kfp_project(tmp_path, closed)
    assert main(["submit", str(project), "--engine", "kfp",
                 "--pipeline", str(pipeline_yaml)]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the KFP API server" in err
    assert "Traceback" not in err


def test_missing_host_is_a_consumer_error(tmp_path: Path, pipeline_yaml: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    assert main(["submit", str(project), "--engine", "kfp",
                 "--pipeline", str(pipeline_yaml)]) == 1
    assert "run.kfp.host must be set" in capsys.readouterr().err


def test_recurring_run_create_list_delete(tmp_path: Path, pipeline_yaml: Path, kfp_server: Kfp,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    fake, server = kfp_server
    project = kfp_project(tmp_path, server)
    assert main(["submit", str(project), "--engine", "kfp", "--pipeline", str(pipeline_yaml),
                 "--schedule", "30 2 * * 1-5", "--max-concurrent-runs", "3"]) == 0
    [create] = server.received("POST", r"/recurringruns$")
    body = create.json
    assert body["trigger"] == {"cron_schedule": {"cron": "0 30 2 * * 1-5"}}
    assert body["max_concurrency"] == 3
    assert body["mode"] == "ENABLE"
    assert body["display_name"] == "nightly-train"
    assert body["runtime_config"]["parameters"]["target_column"] == "label"
    assert body["pipeline_spec"]["pipelineInfo"]["name"] == "case-base"
    recurring_id = body and next(iter(fake.recurring))
    capsys.readouterr()

    assert main(["schedules", "list", str(project), "--engine", "kfp", "--format", "json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed == {"recurring_run_id": recurring_id, "display_name": "nightly-train",
                      "cron": "0 30 2 * * 1-5", "status": "ENABLED", "max_concurrency": 3}
    [listing] = server.received("GET", r"/recurringruns$")
    assert listing.query["namespace"] == ["team-a"]

    assert main(["schedules", "delete", recurring_id, str(project), "--engine", "kfp"]) == 0
    assert fake.recurring == {}
    assert main(["schedules", "delete", recurring_id, str(project), "--engine", "kfp"]) == 1
    assert "404 not found" in capsys.readouterr().err


def test_time_zone_cron_is_refused_for_kfp(tmp_path: Path, pipeline_yaml: Path,
                                           kfp_server: Kfp,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _fake, server = kfp_server
    project = kfp_project(tmp_path, server)
    assert main(["submit", str(project), "--engine", "kfp", "--pipeline", str(pipeline_yaml),
                 "--schedule", "TZ=Europe/Amsterdam 0 3 * * *"]) == 2
    assert "do not take a time zone" in capsys.readouterr().err
    assert server.received("POST", r"/recurringruns$") == []


def _non_loopback(server: LoopbackServer) -> str:
    """The fake's URL as `127.1`: it reaches the fake, but is not an address the http check can
    prove loopback, so it stands for a cluster's plain-http address on some other host."""
    return server.url.replace("127.0.0.1", "127.1")


@pytest.mark.parametrize("scheme", ["http://", ""])
def test_plain_http_to_a_non_loopback_host_is_refused_before_connecting(
    tmp_path: Path, pipeline_yaml: Path, kfp_server: Kfp, capsys: pytest.CaptureFixture[str],
    scheme: str,
) -> None:
    _fake, server = kfp_server
    project = kfp_project(tmp_path, server)
    host = _non_loopback(server).removeprefix("http://")
    config = project / "config.yaml"
    config.write_text(config.read_text().replace(server.url, scheme + host))
    for argv in (["submit", str(project), "--engine", "kfp", "--pipeline", str(pipeline_yaml)],
                 ["schedules", "list", str(project), "--engine", "kfp"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "refusing plain-http run.kfp.host" in err and "--insecure" in err
    assert server.received("POST", r".*") == [] and server.received("GET", r".*") == []


def test_insecure_flag_allows_plain_http(tmp_path: Path, pipeline_yaml: Path,
                                         kfp_server: Kfp) -> None:
    _fake, server = kfp_server
    project = kfp_project(tmp_path, server)
    config = project / "config.yaml"
    config.write_text(config.read_text().replace(server.url, _non_loopback(server)))
    assert main(["submit", str(project), "--engine", "kfp", "--insecure",
                 "--pipeline", str(pipeline_yaml)]) == 0
    assert len(server.received("POST", r"/runs$")) == 1
