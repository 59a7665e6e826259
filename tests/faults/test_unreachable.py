"""KFP and Vertex endpoints that refuse connections: exit 1 and a clear message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fault_helpers import Sandbox, closed_port, make_sandbox, run_cli

pytestmark = pytest.mark.slow


def _configured(root: Path, port: int) -> Sandbox:
    """batch_prediction with GCP settings, a pipeline root and a KFP host on a closed port."""
    sandbox = make_sandbox(root)
    config = sandbox.reference / "config.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "run:\n", f"run:\n  pipeline_root: gs://my-bucket/root\n  kfp:\n"
                  f"    host: http://127.0.0.1:{port}\n")
    config.write_text(text + "gcp:\n  project: my-project-123\n  region: europe-west4\n",
                      encoding="utf-8")
    return sandbox


def _clear_failure(stderr: str) -> None:
    assert "hint:" in stderr, stderr[-2000:]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-3000:]


# A pushed image by digest, as `build --push` would record (submit refuses the placeholder).
IMAGE = "127.0.0.1:5000/project@sha256:" + "a" * 64


def test_kfp_server_unreachable(tmp_path: Path) -> None:
    port = closed_port()
    sandbox = _configured(tmp_path, port)
    start = time.monotonic()
    result = run_cli(sandbox, "submit", "--engine", "kfp", "--image", IMAGE, str(sandbox.project))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "cannot reach the KFP API server" in result.stderr
    assert f"127.0.0.1', port={port}" in result.stderr or f"127.0.0.1:{port}" in result.stderr
    _clear_failure(result.stderr)
    assert time.monotonic() - start < 120


def test_vertex_unreachable(tmp_path: Path) -> None:
    """Cloud Storage (asked first, about the pipeline-root bucket) and Vertex on a closed port.

    The Google client libraries retry refused connections for about two minutes before the
    tool can report them; the time limit allows for that.
    """
    port = closed_port()
    sandbox = _configured(tmp_path, port)
    endpoint = f"http://127.0.0.1:{port}"
    result = run_cli(sandbox, "submit", "--engine", "vertex", "--api-endpoint", endpoint,
                     "--image", IMAGE, str(sandbox.project), timeout=400,
                     extra_env={"STORAGE_EMULATOR_HOST": endpoint})
    assert result.returncode == 1, result.stderr[-2000:]
    assert "cannot reach" in result.stderr
    _clear_failure(result.stderr)


# The registry refusing a push is tested with a real build, in
# tests/images/test_buildah.py::test_push_to_an_unreachable_registry.
