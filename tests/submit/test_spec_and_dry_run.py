"""Labels, cron checks, error mapping and `--dry-run`: no service contacted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from submit_project import KMS_KEY, NETWORK, SERVICE_ACCOUNT

from kfp_templates._cli.main import main
from kfp_templates._errors import ConsumerError, ExternalServiceError, UsageError
from kfp_templates.submission import errors, labels, spec

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "value", "key"),
    [
        ("1.2.0", "1-2-0", "k-1-2-0"),
        ("Tabular_Train", "tabular_train", "tabular_train"),
        ("a" * 80, "a" * 63, "a" * 63),
        ("--x--", "x", "x"),
        ("Ünïcode name", "n-code-name", "n-code-name"),
    ],
)
def test_sanitised_labels_follow_gcp_rules(raw: str, value: str, key: str) -> None:
    assert labels.sanitise_value(raw) == value
    assert labels.sanitise_key(raw) == key


def test_our_labels_win_and_count_is_capped() -> None:
    extra = {f"k{i}": "v" for i in range(70)} | {"kfp-template": "spoofed"}
    result = labels.run_labels("My Template", "2.0.1", "abc123", extra)
    assert len(result) == labels.MAX_LABELS
    assert result["kfp-template"] == "my-template"
    assert result["kfp-template-version"] == "2-0-1"
    assert result["kfp-user-code"] == "abc123"


def test_user_code_hash_ignores_caches(tmp_path: Path) -> None:
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "a.py").write_text("x = 1\n")
    before = labels.user_code_hash(tmp_path / "user")
    (tmp_path / "user" / "__pycache__").mkdir()
    (tmp_path / "user" / "__pycache__" / "a.py").write_text("junk")
    assert labels.user_code_hash(tmp_path / "user") == before
    (tmp_path / "user" / "a.py").write_text("x = 2\n")
    assert labels.user_code_hash(tmp_path / "user") != before


@pytest.mark.parametrize(
    ("status", "kind"),
    [(400, ConsumerError), (401, ConsumerError), (403, ExternalServiceError),
     (404, ConsumerError), (409, ExternalServiceError), (429, errors.TransientServiceError),
     (502, errors.TransientServiceError)],
)
def test_status_classes(status: int, kind: type[Exception]) -> None:
    error = errors.error_for_status(errors.VERTEX, "do it", status, "detail\nwith lines")
    assert type(error) is kind
    assert "detail with lines" in error.message
    assert error.hint


@pytest.mark.parametrize(
    ("url", "loopback"),
    [("http://127.0.0.1:8080", True), ("http://localhost:1", True), ("http://[::1]:9", True),
     ("https://127.0.0.1:1", False), ("http://10.0.0.1:80", False), ("", False)],
)
def test_loopback_detection(url: str, loopback: bool) -> None:
    assert spec.is_loopback_url(url) is loopback


def test_plain_http_vertex_endpoint_is_refused() -> None:
    config = {"gcp": {"project": "my-project-123", "region": "europe-west4"}}
    with pytest.raises(UsageError):
        spec.vertex_target(config, "http://vertex.example")


def test_dry_run_prints_the_job(project: Path, pipeline_yaml: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["submit", str(project), "--pipeline", str(pipeline_yaml), "--dry-run",
                 "--schedule", "0 3 * * *"]) == 0
    described = json.loads(capsys.readouterr().out)
    job = described["job"]
    assert job["parameters"] == {"target_column": "label", "test_fraction": 0.25, "n_rows": 100}
    assert job["service_account"] == SERVICE_ACCOUNT
    assert job["network"] == NETWORK
    assert job["encryption_key"] == KMS_KEY
    assert job["enable_caching"] is False
    assert job["labels"]["kfp-template"] == "case_base"
    assert described["schedule"] == {"cron": "0 3 * * *", "max_concurrent_runs": 1}


def test_dry_run_and_validate_never_import_aiplatform(project: Path, pipeline_yaml: Path) -> None:
    code = (
        "import sys\n"
        "from kfp_templates._cli.main import main\n"
        f"assert main(['validate', {str(project)!r}]) == 0\n"
        f"assert main(['submit', {str(project)!r}, '--pipeline', {str(pipeline_yaml)!r},"
        " '--dry-run']) == 0\n"
        "heavy = [m for m in sys.modules\n"
        "         if m in ('kfp', 'google.cloud.aiplatform')\n"
        "         or m.startswith(('kfp.', 'google.cloud.aiplatform.'))]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr


def test_missing_pipeline_file(project: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["submit", str(project), "--pipeline", str(tmp_path / "nope.yaml"),
                 "--dry-run"]) == 2
    assert "is not a file" in capsys.readouterr().err


def test_dry_run_refuses_what_submit_refuses_without_a_pushed_image(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No build --push yet: submit stops before compiling, so the dry run must too."""
    for extra in ([], ["--dry-run"]):
        assert main(["submit", str(project), *extra]) == 1
        assert "no pushed image holds this project's current code" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["vertex", "kfp"])
def test_dry_run_refuses_an_unset_target(
    project: Path, pipeline_yaml: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "config.yaml"
    settings = yaml.safe_load(config.read_text())
    settings["gcp"]["project"] = ""  # and run.kfp.host is not set in this project
    config.write_text(yaml.safe_dump(settings))
    argv = ["submit", str(project), "--pipeline", str(pipeline_yaml), "--engine", engine]
    assert main([*argv, "--dry-run"]) == 1
    assert "must be set" in capsys.readouterr().err


def test_dry_run_never_names_a_deleted_pipeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pipeline compiled for a dry run lives in a scratch directory deleted at exit."""
    template = tmp_path / "custom_component"
    shutil.copytree(REPO / "producer_templates" / "custom_component", template)
    config = template / "reference" / "config.yaml"
    settings = yaml.safe_load(config.read_text())
    settings["gcp"] = {"project": "my-project-123", "region": "europe-west4"}
    config.write_text(yaml.safe_dump(settings))
    image = "r.example/i@sha256:" + "0" * 64
    assert main(["submit", str(template), "--image", image, "--dry-run"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert described["job"]["template_path"] is None
    assert "not kept" in described["pipeline"]
