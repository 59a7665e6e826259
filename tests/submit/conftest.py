"""Fixtures for submission tests: a valid project, a compiled pipeline, loopback services.

Everything listens on 127.0.0.1 only. Clients are the real ones (aiplatform over REST with
anonymous credentials, kfp.Client, RegistryClient, google-cloud-storage against
gcp-storage-emulator); only the servers are fakes.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from case_pipeline import compile_case_pipeline  # noqa: E402 - needs the path above
from loopback_servers import (  # noqa: E402 - needs the path above
    KfpFake,
    LoopbackServer,
    RegistryFake,
    VertexFake,
    serving,
)

CASES = Path(__file__).parent.parent / "cases"
BUCKET = "pipeline-bucket"
SERVICE_ACCOUNT = "runner@my-project-123.iam.gserviceaccount.com"
NETWORK = "projects/123456/global/networks/private"
PROJECT_NUMBER = 123456
KMS_KEY = "projects/my-project-123/locations/europe-west4/keyRings/ring/cryptoKeys/key"


@pytest.fixture(scope="session")
def pipeline_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_case_pipeline(tmp_path_factory.mktemp("compiled") / "pipeline.yaml")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user kfp context, no real Google credentials, no proxies to loopback."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "KF_PIPELINES_ENDPOINT",
                 "KF_PIPELINES_UI_ENDPOINT", "HTTP_PROXY", "HTTPS_PROXY",
                 "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def make_project(root: Path, **sections: dict[str, Any]) -> Path:
    """The base case project under `root`, its config sections replaced by `sections`."""
    project = root / "project"
    shutil.copytree(CASES / "base", project)
    config = yaml.safe_load((project / "config.yaml").read_text())
    config["gcp"] = {
        "project": "my-project-123",
        "region": "europe-west4",
        "service_account": SERVICE_ACCOUNT,
        "network": NETWORK,
        "encryption_key": KMS_KEY,
        "labels": {"team": "forecasting", "cost-center": "ml-42"},
    }
    config["run"] = {"display_name": "nightly-train", "pipeline_root": f"gs://{BUCKET}/root",
                     "enable_caching": False}
    config.update(sections)
    (project / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def storage_emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """gcp-storage-emulator on a free loopback port, holding the pipeline-root bucket."""
    from gcp_storage_emulator.server import create_server

    server = create_server("127.0.0.1", 0, in_memory=True, default_bucket=BUCKET,
                           project_number=PROJECT_NUMBER)
    server.start()
    port = server._api._httpd.server_address[1]
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://127.0.0.1:{port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def resource_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answer aiplatform's bucket-ownership lookup of the project number in-process.

    `PipelineJob.submit` asks Cloud Resource Manager (over gRPC, to its fixed public endpoint)
    which project number owns the pipeline-root bucket. That one call cannot be pointed at a
    loopback server, and off-line it retries for a minute, so it is the only piece replaced.
    """
    from google.cloud.aiplatform.utils import resource_manager_utils

    def project_number(project_id: str, credentials: Any = None) -> str:
        assert project_id == "my-project-123"
        return str(PROJECT_NUMBER)

    monkeypatch.setattr(resource_manager_utils, "get_project_number", project_number)


@pytest.fixture
def vertex(
    storage_emulator: str, resource_manager: None
) -> Iterator[tuple[VertexFake, LoopbackServer]]:
    fake = VertexFake()
    with serving(fake.server()) as server:
        yield fake, server


@pytest.fixture
def kfp_server() -> Iterator[tuple[KfpFake, LoopbackServer]]:
    fake = KfpFake()
    with serving(fake.server()) as server:
        yield fake, server


@pytest.fixture
def registry() -> Iterator[tuple[RegistryFake, LoopbackServer]]:
    fake = RegistryFake()
    with serving(fake.server()) as server:
        yield fake, server
