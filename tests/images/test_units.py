"""Fast tests of the image modules: no builder, no registry, no network."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

import kfp_templates
from kfp_templates._cli.main import main
from kfp_templates._errors import ConsumerError, ExternalServiceError, UsageError
from kfp_templates._images import pushed_image, select_builder
from kfp_templates._images._builders import BuildahBuilder, BuildRequest
from kfp_templates._images._cloudbuild import CloudBuildBuilder
from kfp_templates._images._dockerfile import IMAGE_REFERENCE, DockerfileSpec, render_dockerfile
from kfp_templates._images._lock import Lock, locked_wheel, parse_lock
from kfp_templates._images._names import image_repository, version_tag
from kfp_templates._images._python import project_python_version
from kfp_templates._images._record import BuildRecord, sources_sha256, write_record
from kfp_templates._images._requirements import image_requirements
from kfp_templates._images._run import excerpt
from kfp_templates._images._wheels import BUILT_WHEELS, Target, ensure_dependencies
from kfp_templates._layout import find_layout
from kfp_templates.contract import load_contract


def test_dockerfile_puts_dependencies_first_and_user_code_last() -> None:
    text = render_dockerfile(
        DockerfileSpec("base:1", "kfp_templates-0.1.0-py3-none-any.whl", "x.lock", "3.12")
    )
    steps = [line.split()[0] for line in text.splitlines() if line and line[0].isupper()]
    copies = [line for line in text.splitlines() if line.startswith("COPY")]
    assert text.splitlines()[1] == "FROM base:1"
    assert [c.split()[1] for c in copies] == ["deps/", "tool/", "template_pipeline/", "user/"]
    assert steps[-1] == "COPY" and copies[-1].startswith("COPY user/")
    assert "--no-index" in text and "--require-hashes" in text
    assert "the wheels are for Python 3.12" in text.split("COPY")[0]  # checked before any COPY


@pytest.mark.parametrize(
    "base",
    [
        "python:3.11-slim\nRUN touch /pwned",
        "python:3.11-slim\n",
        "python:3.11 AS x",
        "$(touch /pwned)",
        "Python:3.11",
        "",
    ],
)
def test_dockerfile_refuses_a_base_image_that_is_no_image_reference(base: str) -> None:
    with pytest.raises(UsageError, match="is not an image reference"):
        render_dockerfile(DockerfileSpec(base, "t.whl", "x.lock", "3.11"))


@pytest.mark.parametrize(
    "base",
    [
        "python:3.11-slim",
        "localhost/kfp-templates-test-base:bookworm",
        "127.0.0.1:5000/team/base_image:v1.2",
        "europe-west4-docker.pkg.dev/p/r/base@sha256:" + "a" * 64,
    ],
)
def test_config_schema_and_dockerfile_agree_on_image_references(base: str) -> None:
    schema = json.loads(
        (Path(kfp_templates.__file__).parent / "schemas/config.schema.json").read_text()
    )
    pattern = schema["$defs"]["image"]["properties"]["base_image"]["pattern"]
    assert pattern == f"^({IMAGE_REFERENCE.pattern})?$"
    assert render_dockerfile(DockerfileSpec(base, "t.whl", "x.lock", "3.11"))


def test_dockerfile_quotes_file_names_in_shell_lines() -> None:
    text = render_dockerfile(DockerfileSpec("base:1", "a$(touch x).whl", "x.lock", "3.11"))
    assert "'/tmp/kfp-tool/a$(touch x).whl'" in text


@pytest.mark.parametrize(
    ("answers", "requested", "expected"),
    [
        ("python_version: '3.12'\n", None, "3.12"),
        ("python_version: '3.12'\n", "3.10", "3.10"),
        (None, None, f"{sys.version_info.major}.{sys.version_info.minor}"),
        ("{not yaml: [\n", None, f"{sys.version_info.major}.{sys.version_info.minor}"),
    ],
)
def test_python_version_comes_from_the_flag_then_the_project(
    tmp_path: Path, answers: str | None, requested: str | None, expected: str
) -> None:
    if answers is not None:
        (tmp_path / ".copier-answers.yml").write_text(answers)
    assert project_python_version(tmp_path, requested) == expected


def test_a_malformed_answered_python_version_is_named(tmp_path: Path) -> None:
    (tmp_path / ".copier-answers.yml").write_text("python_version: latest\n")
    with pytest.raises(UsageError, match=r"python_version in \.copier-answers\.yml"):
        project_python_version(tmp_path, None)


def test_failure_excerpt_keeps_the_error_line_above_the_tail() -> None:
    lines = ["ERROR: No matching distribution found for cffi==2.1.1"]
    lines += [f"Processing /tmp/kfp-deps/wheel{n}.whl" for n in range(40)]
    shown = excerpt(lines)
    assert shown[0] == lines[0] and shown[1] == "..." and shown[-1] == lines[-1]
    assert excerpt(lines[1:]) == lines[-15:]


def test_a_plain_http_registry_gets_the_tls_hint(tmp_path: Path) -> None:
    script = tmp_path / "push"
    script.write_text(
        "#!/bin/sh\necho 'http: server gave HTTP response to HTTPS client' >&2\nexit 1\n"
    )
    script.chmod(0o755)
    with pytest.raises(ExternalServiceError) as raised:
        BuildahBuilder(program=str(script)).push("127.0.0.1:5000/x:1", True, False)
    assert "--no-tls-verify" in str(raised.value.hint) and "log in" not in str(raised.value.hint)


def test_lock_round_trips_and_rejects_foreign_files() -> None:
    wheel = locked_wheel("PyYAML-6.0.3-cp311-cp311-manylinux2014_x86_64.whl", "a" * 64)
    lock = Lock("python 3.11, x86_64, sha256:00", (wheel,))
    assert parse_lock(lock.render()) == lock
    assert wheel.line().startswith("pyyaml==6.0.3 --hash=sha256:aaaa")
    assert parse_lock("pyyaml==6\n") is None


def test_target_asks_pip_for_the_image_platform() -> None:
    args = Target("3.11", glibc_minor=28).pip_args()
    assert args[:5] == ["--only-binary=:all:", "--implementation", "cp", "--python-version", "3.11"]
    assert "manylinux_2_28_x86_64" in args and "manylinux_2_17_x86_64" in args
    assert "manylinux_2_29_x86_64" not in args


@pytest.mark.slow
def test_sdist_only_requirement_is_built_here_and_locked(tmp_path: Path) -> None:
    """kfp needs kfp-server-api, which the index has only as an sdist: it is built on the host
    into a pure-Python wheel, offered to the cross-platform resolution, and locked by hash."""
    build_dir = tmp_path / ".kfp-build"
    deps = ensure_dependencies(
        [sys.executable, "-m", "pip"],
        tmp_path,
        build_dir,
        ("kfp-server-api>=2.17,<3",),
        Target("3.11"),
    )
    names = [wheel.filename for wheel in deps.lock.wheels]
    [server_api] = [name for name in names if name.startswith("kfp_server_api-")]
    assert server_api.endswith("-none-any.whl")
    assert (build_dir / BUILT_WHEELS / server_api).is_file()
    assert all(path.is_file() for path in deps.wheels)
    again = ensure_dependencies(
        [sys.executable, "-m", "pip"],
        tmp_path,
        build_dir,
        ("kfp-server-api>=2.17,<3",),
        Target("3.11"),
    )
    assert again.lock == deps.lock  # the lock is reused, nothing is resolved again


@pytest.mark.parametrize(
    ("image", "registry", "identifier", "expected"),
    [
        ({}, None, None, "localhost/kfp-project"),
        ({"registry": "eu-docker.example/p/r", "name": "x"}, None, None, "eu-docker.example/p/r/x"),
        (
            {"registry": "a.example/r", "identifier": "ann"},
            None,
            None,
            "a.example/r/ann/kfp-project",
        ),
        (
            {"registry": "a.example/r", "identifier": "ann"},
            "127.0.0.1:5000/t",
            "bob",
            "127.0.0.1:5000/t/bob/kfp-project",
        ),
    ],
)
def test_image_repository(
    image: dict[str, str], registry: str | None, identifier: str | None, expected: str
) -> None:
    assert image_repository(image, registry, identifier) == expected


@pytest.mark.parametrize(("registry", "identifier"), [("Bad Host", None), (None, "Ann!")])
def test_bad_registry_or_identifier_is_a_usage_error(
    registry: str | None, identifier: str | None
) -> None:
    with pytest.raises(UsageError):
        image_repository({}, registry, identifier)


def test_version_tag_is_a_valid_tag(project: Path) -> None:
    contract, _ = load_contract(project / "template_pipeline/contract.yaml", "contract.yaml")
    assert contract is not None
    assert version_tag(contract) == "case_base-1.0.0"


def test_no_builder_installed_exits_2_naming_what_to_install(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(project / "empty-bin"))
    with pytest.raises(UsageError, match="no image builder"):
        select_builder(None, build_dir=project)
    assert main(["build", str(project), "--base-image", "b:1"]) == 2
    assert "install one of: buildah" in capsys.readouterr().err


def test_failing_validate_blocks_the_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "user/train.py").write_text("def something_else():\n    pass\n")
    assert main(["build", str(project)]) == 1
    captured = capsys.readouterr()
    assert "build stopped" in captured.err
    assert not (project / ".kfp-build").exists()


DIGEST = "sha256:" + "b" * 64


def _record(project: Path, digest: str) -> None:
    sources = sources_sha256(find_layout(project))
    record = BuildRecord("r.example/x", "content-1", "t-1", digest, "buildah", "t", "1", sources)
    write_record(project / ".kfp-build", record)


def test_pushed_image_is_by_digest_only_when_pushed_and_current(project: Path) -> None:
    layout = find_layout(project)
    assert pushed_image(layout).why_not == "nothing has been built yet"
    _record(project, "")
    assert "was not pushed" in pushed_image(layout).why_not
    _record(project, DIGEST)
    assert pushed_image(layout).image == "r.example/x@" + DIGEST
    assert not [p for p in (project / ".kfp-build").iterdir() if p.name.endswith(".tmp")]
    (project / "__pycache__").mkdir()  # build noise does not make the image stale
    (project / "user" / "notes.pyc").write_bytes(b"x")
    assert pushed_image(layout).image
    with (project / "user" / "train.py").open("a") as handle:
        handle.write("\n# edited after the build\n")
    stale = pushed_image(layout)
    assert stale.image == "" and "changed since r.example/x@" in stale.why_not


FAKE_GCLOUD = """#!/bin/sh
# Stand-in for gcloud (none exists here): record argv, answer like the real one.
printf '%s\\n' "$*" >> "$FAKE_GCLOUD_LOG"
case "$1 $2" in
  "builds submit") touch "$FAKE_GCLOUD_STATE"; echo '{}' ;;
  "artifacts docker")
    [ -f "$FAKE_GCLOUD_STATE" ] || exit 1
    echo "sha256:$(printf '%064d' 7)" ;;
esac
"""


def _fake_gcloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gcloud = bin_dir / "gcloud"
    gcloud.write_text(FAKE_GCLOUD)
    gcloud.chmod(gcloud.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_GCLOUD_LOG", str(tmp_path / "gcloud.log"))
    monkeypatch.setenv("FAKE_GCLOUD_STATE", str(tmp_path / "gcloud.state"))
    return tmp_path / "gcloud.log"


def test_cloudbuild_submits_a_generated_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _fake_gcloud(tmp_path, monkeypatch)
    builder = CloudBuildBuilder(config_dir=tmp_path, project="my-project-123")
    refs = ("r.example/p/x:content-1", "r.example/p/x:t-1")
    request = BuildRequest(tmp_path / "ctx", tmp_path / "ctx/Dockerfile", refs, (("a", "b"),))
    assert builder.remote_digest(refs[0], True) is None
    builder.build(request)
    assert builder.push(refs[0], True, False) == "sha256:" + "0" * 63 + "7"
    calls = log.read_text().splitlines()
    config_path = tmp_path / "cloudbuild.json"
    expected = f"builds submit {tmp_path}/ctx --config {config_path} --project my-project-123"
    assert calls[1] == expected
    config = json.loads((tmp_path / "cloudbuild.json").read_text())
    assert config["images"] == list(refs)
    assert config["steps"][0]["args"][:5] == ["build", "--file", "Dockerfile", "--network", "none"]
    assert config["steps"][0]["args"][-3:-1] == ["--label", "a=b"]


def test_cloudbuild_cli_builds_once_then_skips(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The CLI with `--builder cloudbuild`: wheels resolved, config submitted, then a no-op."""
    log = _fake_gcloud(tmp_path, monkeypatch)
    argv = [
        "build",
        str(project),
        "--builder",
        "cloudbuild",
        "--push",
        "--registry",
        "r.example/p",
        "--base-image",
        "b:1",
        "--tool-wheel",
        str(_tool_wheel(tmp_path)),
    ]
    assert main(argv) == 0
    first = capsys.readouterr()
    assert main(argv) == 0
    second = capsys.readouterr()
    assert first.out == second.out and "@sha256:" in first.out
    assert "nothing to build or push" in second.err
    assert sum("builds submit" in line for line in log.read_text().splitlines()) == 1
    assert (project / "image-requirements.lock").read_text().count("pyyaml==") == 1


def _tool_wheel(tmp_path: Path) -> Path:
    """A stand-in tool wheel: the fake Cloud Build never installs it."""
    wheel = tmp_path / "kfp_templates-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"not a real wheel")
    return wheel


def test_a_failed_build_points_to_the_offline_base_image_recipe(tmp_path: Path) -> None:
    script = tmp_path / "buildah"
    script.write_text(
        "#!/bin/sh\necho 'Error: initializing source docker://python:3.11-slim' >&2\nexit 125\n"
    )
    script.chmod(0o755)
    request = BuildRequest(tmp_path, tmp_path / "Dockerfile", ("localhost/x:1",), ())
    with pytest.raises(ExternalServiceError) as raised:
        BuildahBuilder(program=str(script)).build(request)
    assert "docker://python:3.11-slim" in raised.value.message
    assert "mmdebstrap" in raised.value.hint and "a-base-image-without-network" in raised.value.hint


def test_consumer_requirements_file_goes_into_the_image(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("# mine\nxgboost>=2  # boosted trees\n\n")
    assert "xgboost>=2" in image_requirements(tmp_path, ("pandas>=2",))


@pytest.mark.parametrize(
    ("line", "words"),
    [("-r other.txt", "option lines are not supported"), ("xgboost>>2", "not a valid requirement")],
)
def test_consumer_requirements_file_refuses_what_pip_alone_would_take(
    tmp_path: Path, line: str, words: str
) -> None:
    (tmp_path / "requirements.txt").write_text(f"pandas\n{line}\n")
    with pytest.raises(ConsumerError, match=words) as raised:
        image_requirements(tmp_path, ())
    assert raised.value.location.endswith("requirements.txt:2")


def test_an_edited_requirements_file_makes_the_image_stale(project: Path) -> None:
    layout = find_layout(project)
    before = sources_sha256(layout)
    (project / "requirements.txt").write_text("xgboost>=2\n")
    assert sources_sha256(layout) != before
