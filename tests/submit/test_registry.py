"""`publish` and `submit --from-registry`: the real RegistryClient against a loopback registry."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from loopback_servers import LoopbackServer, RegistryFake, VertexFake
from submit_project import CASES

from kfp_templates._cli.main import main

Registry = tuple[RegistryFake, LoopbackServer]


def producer_template(root: Path) -> Path:
    """The base case arranged as a producer template: contract plus reference/."""
    template = root / "template"
    (template / "reference").mkdir(parents=True)
    shutil.copy(CASES / "base" / "template_pipeline" / "contract.yaml", template)
    shutil.copytree(CASES / "base" / "user", template / "reference" / "user")
    shutil.copy(CASES / "base" / "config.yaml", template / "reference")
    return template


def host(server: LoopbackServer, fake: RegistryFake) -> str:
    return server.url + fake.prefix


def test_publish_uploads_with_release_tag(tmp_path: Path, pipeline_yaml: Path,
                                          registry: Registry,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    fake, server = registry
    template = producer_template(tmp_path)
    assert main(["publish", str(template), "--host", host(server, fake), "--tag", "v1.0.0",
                 "--pipeline", str(pipeline_yaml), "--latest"]) == 0
    [upload] = server.received("POST", fake.prefix)
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert b'name="tags"' in upload.body and b"v1.0.0,latest" in upload.body
    digest = "sha256:" + hashlib.sha256(pipeline_yaml.read_bytes()).hexdigest()
    assert fake.packages[("case-base", "v1.0.0")] == pipeline_yaml.read_bytes()
    assert ("case-base", digest) in fake.packages
    out = capsys.readouterr().out
    assert f"published case-base {digest} as v1.0.0, latest" in out
    assert f"--from-registry {host(server, fake)}/case-base --tag v1.0.0" in out


@pytest.mark.parametrize("tag", ["v2.0.0", "latest", "1.0"])
def test_tag_must_match_the_contract_version(tmp_path: Path, pipeline_yaml: Path,
                                             registry: Registry, tag: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    fake, server = registry
    code = main(["publish", str(producer_template(tmp_path)), "--host", host(server, fake),
                 "--tag", tag, "--pipeline", str(pipeline_yaml)])
    if tag == "1.0":  # PEP 440: 1.0 == 1.0.0
        assert code == 0
        return
    assert code == 2
    assert "does not match the contract version 1.0.0" in capsys.readouterr().err
    assert server.requests == []


def test_moving_a_published_tag_is_a_conflict(tmp_path: Path, pipeline_yaml: Path,
                                              registry: Registry,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    fake, server = registry
    template = producer_template(tmp_path)
    args = ["publish", str(template), "--host", host(server, fake), "--tag", "v1.0.0"]
    assert main([*args, "--pipeline", str(pipeline_yaml)]) == 0
    changed = tmp_path / "changed.yaml"
    document = yaml.safe_load(pipeline_yaml.read_text())
    document["sdkVersion"] = "changed"
    changed.write_text(yaml.safe_dump(document))
    assert main([*args, "--pipeline", str(changed)]) == 1
    err = capsys.readouterr().err
    assert "answered 409 already exists" in err
    assert "release a new tag" in err


@pytest.mark.parametrize(
    ("status", "hint"),
    [(403, "roles/artifactregistry.writer"), (404, "check --host"), (500, "retry")],
)
def test_publish_errors(tmp_path: Path, pipeline_yaml: Path, registry: Registry, status: int,
                        hint: str, capsys: pytest.CaptureFixture[str]) -> None:
    fake, server = registry
    server.fail("POST", fake.prefix, status)
    assert main(["publish", str(producer_template(tmp_path)), "--host", host(server, fake),
                 "--tag", "v1.0.0", "--pipeline", str(pipeline_yaml)]) == 1
    err = capsys.readouterr().err
    assert f"publish the pipeline: the pipeline registry answered {status}" in err
    assert hint in err
    assert "Traceback" not in err


def test_plain_http_to_a_remote_registry_is_refused(tmp_path: Path, pipeline_yaml: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish", str(producer_template(tmp_path)), "--host",
                 "http://registry.example/p/r", "--tag", "v1.0.0",
                 "--pipeline", str(pipeline_yaml)]) == 2
    assert "refusing plain-http registry" in capsys.readouterr().err


def test_submit_a_published_template_by_tag_and_digest(
    tmp_path: Path, project: Path, pipeline_yaml: Path, registry: Registry, vertex: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, server = registry
    vertex_fake, vertex_server = vertex  # type: ignore[misc]
    assert isinstance(vertex_fake, VertexFake)
    assert main(["publish", str(producer_template(tmp_path)), "--host", host(server, fake),
                 "--tag", "v1.0.0", "--pipeline", str(pipeline_yaml)]) == 0
    digest = "sha256:" + hashlib.sha256(pipeline_yaml.read_bytes()).hexdigest()
    reference = f"{host(server, fake)}/case-base"
    for selector in (["--tag", "v1.0.0"], ["--digest", digest]):
        assert main(["submit", str(project), "--from-registry", reference, *selector,
                     "--api-endpoint", vertex_server.url]) == 0
    downloads = [r.path for r in server.received("GET", "/case-base/")]
    assert downloads == [f"{fake.prefix}/case-base/v1.0.0", f"{fake.prefix}/case-base/{digest}"]
    jobs = vertex_server.received("POST", r"/pipelineJobs$")
    assert [j.json["pipelineSpec"]["pipelineInfo"]["name"] for j in jobs] == ["case-base"] * 2


@pytest.mark.parametrize(
    ("extra", "message", "exit_code"),
    [
        (["--tag", "v9.9.9"], "answered 404 not found", 1),  # the service said no
        ([], "--from-registry needs --tag or --digest", 2),  # usage
    ],
)
def test_registry_lookup_errors(project: Path, registry: Registry, extra: list[str],
                                message: str, exit_code: int,
                                capsys: pytest.CaptureFixture[str]) -> None:
    fake, server = registry
    code = main(["submit", str(project), "--from-registry", f"{host(server, fake)}/case-base",
                 *extra, "--dry-run"])
    assert code == exit_code
    assert message in capsys.readouterr().err
