"""End to end with real tools: buildah builds, docker-registry on loopback stores, skopeo reads.

One module-scoped rig (registry, isolated buildah storage, base image, tool wheel; conftest.py)
serves every test, so the slow parts happen once per run.
"""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from _infra import BASE_IMAGE, Rig

from kfp_templates._cli.main import main
from kfp_templates._images import pushed_image, read_record
from kfp_templates._images._lock import LOCK_NAME, parse_lock
from kfp_templates._layout import find_layout

from helpers import free_port, interrupt_process

pytestmark = pytest.mark.slow
# the submission tests' loopback KFP server, for build-then-submit
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "submit"))
REPO = Path(__file__).resolve().parents[2]
IN_IMAGE = "import user.preprocess, user.train, kfp_templates, yaml; print(kfp_templates.__file__)"


def _skopeo(ref: str) -> dict[str, object]:
    out = subprocess.run(
        ["skopeo", "inspect", "--tls-verify=false", f"docker://{ref}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(out))


def _buildah(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["buildah", *args], capture_output=True, text=True, check=False)


def _check_inside(image: str) -> str:
    """Import user code and the tool inside the image; returns the path kfp_templates has there.

    Once python3 has started in the container, a failed import fails the test. Only where this
    machine cannot start a container at all (buildah run fails before python3 runs: no rlimits)
    are the image's files checked instead, and the tool's path is read from them.
    """
    container = _buildah("from", "--pull=never", image).stdout.strip()
    try:
        script = f"import sys; sys.stderr.write('{_STARTED}\\n'); {IN_IMAGE}"
        ran = _buildah("run", "--isolation", "chroot", container, "--", "python3", "-c", script)
        if ran.returncode == 0:
            return ran.stdout
        if _STARTED in ran.stderr:
            pytest.fail(f"the import failed inside the image:\n{ran.stderr[-2000:]}")
        mount = Path(_buildah("mount", container).stdout.strip())
        assert (mount / "app/user/preprocess.py").is_file()
        [tool] = mount.glob("opt/kfp-venv/lib/python3*/site-packages/kfp_templates/__init__.py")
        return "/" + tool.relative_to(mount).as_posix()
    finally:
        _buildah("rm", container)


_STARTED = "python3-started-in-image"


def test_build_push_skip_then_one_layer_rebuild(
    rig: Rig,
    project_factory: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = project_factory(tmp_path / "project")
    argv = [
        "build",
        str(project),
        "--push",
        "--registry",
        f"{rig.registry}/team",
        "--identifier",
        "ann",
        "--base-image",
        BASE_IMAGE,
        "--no-tls-verify",
        "--tool-wheel",
        str(rig.tool_wheel),
    ]
    repository = f"{rig.registry}/team/ann/kfp-project"

    assert main(argv) == 0, capsys.readouterr().err
    first = capsys.readouterr()
    pinned = first.out.strip()
    assert pinned.startswith(f"{repository}@sha256:")
    assert pushed_image(find_layout(project)).image == pinned
    info = _skopeo(pinned)
    labels = info["Labels"]
    assert isinstance(labels, dict)
    contract = (project / "template_pipeline/contract.yaml").read_bytes()
    assert labels["io.kfp-templates.template"] == "case_base"
    assert labels["io.kfp-templates.template-version"] == "1.0.0"
    assert (
        labels["io.kfp-templates.contract-hash"] == "sha256:" + hashlib.sha256(contract).hexdigest()
    )
    assert labels["io.kfp-templates.git-commit"] == "unknown"  # the project is not a git repo
    assert labels["org.opencontainers.image.version"] == "1.0.0"
    assert _skopeo(f"{repository}:case_base-1.0.0")["Digest"] == pinned.split("@")[1]
    record = read_record(project / ".kfp-build")
    assert record is not None
    assert "/opt/kfp-venv/" in _check_inside(record.tagged)

    assert main(argv) == 0
    again = capsys.readouterr()
    assert again.out == first.out, first.err + again.err
    assert "nothing to build or push" in again.err

    train = project / "user/train.py"
    train.write_text(train.read_text() + "\n# tuned by hand\n")
    assert main(argv) == 0
    changed = capsys.readouterr()
    assert changed.out != first.out and "built, pushed" in changed.err
    before, after = info["Layers"], _skopeo(changed.out.strip())["Layers"]
    assert isinstance(before, list) and isinstance(after, list)
    assert len(before) == len(after) and before[:-1] == after[:-1] and before[-1] != after[-1]
    assert pushed_image(find_layout(project)).image == changed.out.strip()

    assert main(argv[:2] + argv[3:]) == 0  # without --push: found in local storage
    assert "already built; not rebuilding" in capsys.readouterr().err


CASE_PIPELINE = '''\
"""One step on the consumer's image, so a compiled pipeline names the image it runs."""
from typing import Any

from kfp import dsl


def train_step(target_column: str) -> str:
    return target_column


def case_pipeline(ctx: Any) -> Any:
    train = ctx.component(train_step)

    @dsl.pipeline(name="case-base")
    def pipeline(target_column: str = ctx.param("target_column")) -> None:
        ctx.step(train(target_column=target_column), "train")

    return pipeline
'''


def test_submit_runs_the_image_build_pushed_by_its_digest(
    rig: Rig,
    project_factory: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """build --push, then submit (real kfp.Client, loopback KFP server): every step of the run
    the server receives names the pushed image by the digest the registry stored."""
    from loopback_servers import KfpFake, serving  # noqa: PLC0415 - tests/submit, see below

    project = project_factory(tmp_path / "project")
    (project / "template_pipeline" / "pipeline.py").write_text(CASE_PIPELINE)
    argv = ["build", str(project), "--push", "--registry", f"{rig.registry}/submitted",
            "--base-image", BASE_IMAGE, "--no-tls-verify", "--tool-wheel", str(rig.tool_wheel)]
    assert main(argv) == 0, capsys.readouterr().err
    pinned = capsys.readouterr().out.strip()
    repository, digest = pinned.split("@")
    record = read_record(project / ".kfp-build")
    assert record is not None
    assert digest == _skopeo(f"{repository}:{record.content_tag}")["Digest"]
    fake = KfpFake()
    with serving(fake.server()) as server:
        config = project / "config.yaml"
        config.write_text(config.read_text() + f"run:\n  kfp: {{host: '{server.url}'}}\n")
        assert main(["submit", str(project), "--engine", "kfp"]) == 0, capsys.readouterr().err
        [run] = server.received("POST", r"/runs$")
    executors = run.json["pipeline_spec"]["deploymentSpec"]["executors"]
    images = {executor["container"]["image"] for executor in executors.values()}
    assert images == {pinned}


def test_push_to_an_unreachable_registry(
    rig: Rig,
    project_factory: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The image builds, the push is refused: exit 1, the registry named, no digest recorded."""
    closed = f"127.0.0.1:{free_port()}"
    project = project_factory(tmp_path / "project")
    argv = [
        "build",
        str(project),
        "--push",
        "--registry",
        f"{closed}/team",
        "--base-image",
        BASE_IMAGE,
        "--no-tls-verify",
        "--tool-wheel",
        str(rig.tool_wheel),
    ]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"push {closed}/team/kfp-project:" in err or f"docker://{closed}/team" in err, err
    assert "hint: check that you may push to" in err and "Traceback" not in err
    assert not pushed_image(find_layout(project)).image


def test_context_only_is_the_one_dockerfile_and_builds_by_hand(
    rig: Rig,
    project_factory: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`build --context-only` writes what `build` builds; any builder then builds it as is."""
    project = project_factory(tmp_path / "project")
    argv = ["build", str(project), "--context-only", "--base-image", BASE_IMAGE,
            "--tool-wheel", str(rig.tool_wheel)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    context = Path(out.strip())
    assert context == project / ".kfp-build" / "context"
    assert (context / "Dockerfile").read_text().startswith("# Generated by `kfp-templates build`")
    assert "docker build -t localhost/kfp-project:content-" in err
    assert read_record(project / ".kfp-build") is None  # nothing was built
    by_hand = _buildah("bud", "--isolation", "chroot", "-t", "localhost/by-hand:1", str(context))
    assert by_hand.returncode == 0, by_hand.stderr[-2000:]
    assert _buildah("inspect", "--type", "image", "localhost/by-hand:1").returncode == 0


def test_a_base_image_with_another_python_fails_clearly_and_leaves_no_container(
    rig: Rig,
    project_factory: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Wheels for 3.12 on bookworm's 3.11: the first step says so (the ERROR line is in the
    excerpt, not only under --verbose), and buildah's working containers are removed."""
    project = project_factory(tmp_path / "project")
    before = _buildah("containers", "--quiet").stdout.split()
    argv = ["build", str(project), "--base-image", BASE_IMAGE, "--python-version", "3.12",
            "--tool-wheel", str(rig.tool_wheel)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "ERROR: the base image has Python 3.11, the wheels are for Python 3.12" in err, err
    assert "Traceback" not in err
    assert _buildah("containers", "--quiet").stdout.split() == before


def _context_written(project: Path) -> bool:
    return (project / ".kfp-build" / "context" / "Dockerfile").is_file()


# When to press Ctrl-C: after a fixed time (resolving, assembling), or once the build context is
# in place (buildah building): a phase, not a time, so a fast machine cannot finish first.
MOMENTS: dict[str, Callable[[Path, float], bool]] = {
    "0.5s": lambda _, elapsed: elapsed >= 0.5,
    "2s": lambda _, elapsed: elapsed >= 2.0,
    "building": lambda project, _: _context_written(project),
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_ctrl_c_during_a_build_leaves_nothing_half_written(
    rig: Rig, project_factory: Callable[[Path], Path], tmp_path: Path, moment: str
) -> None:
    """SIGINT to the whole process group (what Ctrl-C does) while resolving, assembling or
    building: exit 130 (or Python's own exit at start-up), no traceback, no staging directory
    left, and the lock and build record either absent or whole."""
    project = project_factory(tmp_path / "project")
    ready = MOMENTS[moment]
    argv = [
        sys.executable,
        "-m",
        "kfp_templates",
        "build",
        str(project),
        "--push",
        "--registry",
        f"{rig.registry}/ctrlc",
        "--base-image",
        BASE_IMAGE,
        "--no-tls-verify",
        "--tool-wheel",
        str(rig.tool_wheel),
    ]
    started = time.monotonic()
    code, err, _, landed = interrupt_process(
        argv, lambda: ready(project, time.monotonic() - started), timeout=300
    )
    print(f"at {moment}: exit {code}; {err.strip().splitlines()[-1:] if err.strip() else ''}")
    assert landed, f"the build ended before the signal at {moment}: nothing was interrupted"
    assert code in (130, -signal.SIGINT), err[-2000:]
    if code != -signal.SIGINT:  # -SIGINT: Python's own exit, at start-up or shutdown
        assert "Traceback" not in err, err[-3000:]
        assert "interrupted" in err, err[-2000:]
    build = project / ".kfp-build"
    if build.is_dir():
        assert [p.name for p in build.rglob("*.tmp")] == []
    lock = project / LOCK_NAME
    assert not lock.exists() or parse_lock(lock.read_text()) is not None
    record = build / "image.json"
    assert not record.exists() or read_record(build) is not None
