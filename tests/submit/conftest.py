"""Fixtures for submission tests: a valid project, a compiled pipeline, loopback services.

Everything listens on 127.0.0.1 only. Clients are the real ones (aiplatform over REST with
anonymous credentials, kfp.Client, RegistryClient, google-cloud-storage against
gcp-storage-emulator); only the servers are fakes.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from case_pipeline import compile_case_pipeline
from loopback_servers import (
    KfpFake,
    LoopbackServer,
    RegistryFake,
    VertexFake,
    serving,
)
from submit_project import BUCKET, PROJECT_NUMBER, make_project


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


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any Python-level connection that is not to loopback, instead of leaving the host."""
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
                raise ConnectionRefusedError(f"tests may only connect to loopback, not {host}")
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def storage_emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """gcp-storage-emulator on a free loopback port, holding the pipeline-root bucket."""
    from gcp_storage_emulator.server import create_server  # noqa: PLC0415 - heavy, only here

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
    from google.cloud.aiplatform.utils import resource_manager_utils  # noqa: PLC0415 - heavy

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
