"""`copier copy` of this repository with the real copier, then the generated project's own sessions.

Each template is copied with the copier CLI and `--defaults` (the embedded local setup), the
project's nox sessions validate and tests run on the stubs, then on the producer's reference
implementation together with a local pipeline run. GCP answers and rejected answers go through
the `run_copy` API.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy
from e2e_helpers import REPO, TemplateRepo, nox, run, tree_hashes, use_reference
from jinja2 import Environment, FileSystemLoader
from packaging.requirements import InvalidRequirement, Requirement

TEMPLATES = sorted(p.parent.name for p in (REPO / "producer_templates").glob("*/contract.yaml"))
GCP_ANSWERS = {
    "gcp_project": "acme-ml-prod",
    "region": "us-central1",
    "artifact_registry": "pipelines",
    "pipeline_root_bucket": "acme-ml-artifacts",
    "service_account": "pipelines@acme-ml-prod.iam.gserviceaccount.com",
    "identifier": "alice",
}


def copier_cli(*args: str, cwd: Path) -> Any:
    """The copier command line, from this environment."""
    return run([sys.executable, "-m", "copier", *args], cwd, check=False)


def test_copier_offers_exactly_the_producer_templates() -> None:
    question = yaml.safe_load((REPO / "copier.yml").read_text())["template"]
    assert sorted(question["choices"].values()) == TEMPLATES
    assert question["default"] in TEMPLATES
    for name in TEMPLATES:
        for kind, target in (("template_pipeline", ""), ("user", "/stubs/user")):
            link = REPO / "template" / f"{{% if template == '{name}' %}}{kind}{{% endif %}}"
            assert link.is_symlink(), link
            assert link.readlink().as_posix() == f"../producer_templates/{name}{target}"


@pytest.mark.slow
@pytest.mark.parametrize("template", TEMPLATES)
def test_copy_with_defaults_then_sessions_pass(
    template_repo: TemplateRepo, tmp_path: Path, template: str
) -> None:
    project = tmp_path / "project"
    result = copier_cli(
        "copy",
        "--defaults",
        "--vcs-ref",
        template_repo.v1,
        "-d",
        f"template={template}",
        str(template_repo.path),
        str(project),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "nox -s validate" in result.stderr  # _message_after_copy says what to do next
    vendored = project / "template_pipeline"
    assert (vendored / "contract.yaml").is_file()
    assert not (vendored / "reference").exists() and not (vendored / "stubs").exists()
    assert tree_hashes(project / "user") == tree_hashes(
        REPO / "producer_templates" / template / "stubs" / "user"
    )
    for session in ("validate", "tests"):
        outcome = nox(project, session)
        assert outcome.returncode == 0, f"{session} on stubs:\n{outcome.stdout}\n{outcome.stderr}"
    use_reference(project, template)
    for session in ("validate", "tests", "run"):
        outcome = nox(project, session)
        assert outcome.returncode == 0, f"{session}:\n{outcome.stdout}\n{outcome.stderr}"
    assert any((project / "local_outputs").iterdir())


@pytest.mark.slow
def test_copy_api_with_gcp_answers(template_repo: TemplateRepo, tmp_path: Path) -> None:
    project = tmp_path / "project"
    data = {"template": "tabular_training", "package": "churn_model", **GCP_ANSWERS}
    run_copy(
        str(template_repo.path),
        project,
        data=data,
        defaults=True,
        quiet=True,
        vcs_ref=template_repo.v1,
    )
    config = yaml.safe_load((project / "config.yaml").read_text())
    assert config["gcp"] | {"labels": {}} == {
        "project": "acme-ml-prod",
        "region": "us-central1",
        "network": "",
        "encryption_key": "",
        "service_account": "pipelines@acme-ml-prod.iam.gserviceaccount.com",
        "labels": {},
    }
    assert config["image"]["registry"] == "us-central1-docker.pkg.dev/acme-ml-prod/pipelines"
    assert (config["image"]["name"], config["image"]["identifier"]) == ("churn-model", "alice")
    assert config["run"]["pipeline_root"] == "gs://acme-ml-artifacts/pipeline-root/alice"
    commit = run(["git", "rev-parse", f"{template_repo.v1}^{{commit}}"], template_repo.path)
    pin = f"kfp-templates[kfp,vertex] @ git+file://localhost{template_repo.path}@{commit.stdout.strip()}"
    assert json.dumps(pin) in (project / "pyproject.toml").read_text()
    outcome = nox(project, "validate")
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    needs = {name: job.get("needs") for name, job in workflow["jobs"].items()}
    assert needs == {"validate": None, "tests": "validate", "build": "tests", "submit": "build"}
    assert "nox -s validate -- --format github" in str(workflow["jobs"]["validate"])
    # submit runs on another machine: it gets the build record naming the pushed digest
    uploaded = [s for s in workflow["jobs"]["build"]["steps"] if "upload-artifact" in str(s)]
    downloaded = [s for s in workflow["jobs"]["submit"]["steps"] if "download-artifact" in str(s)]
    assert uploaded[0]["with"]["path"] == ".kfp-build/image.json"
    assert downloaded[0]["with"] == {"name": "build-record", "path": ".kfp-build"}
    ignored = (project / ".gitignore").read_text().splitlines()
    assert {".env", "*.json", "*.pem", ".kfp-build/"} <= set(ignored)
    assert ".kfp-build" in (project / ".dockerignore").read_text().splitlines()
    assert not (project / "Dockerfile").exists()  # the one Dockerfile is `build`'s (0032)
    assert (project / "requirements.txt").read_text().startswith("# Your own libraries")
    noxfile = (project / "noxfile.py").read_text()
    assert f"TOOL = {json.dumps(pin.replace('[kfp,vertex]', ''))}" in noxfile
    assert 'default_venv_backend = "uv|virtualenv"' in noxfile


BAD_ANSWERS = {
    "slug with path traversal": {"package": "../../evil"},
    "slug with a slash": {"package": "a/b"},
    "slug with a newline": {"package": "ok\nevil"},
    "project id with capitals": {"gcp_project": "My_Project"},
    "project id too short": {"gcp_project": "abc"},
    "bucket given as a URI": {"pipeline_root_bucket": "gs://bucket/path"},
    "bucket with ..": {"pipeline_root_bucket": "a..b"},
    "identifier with a slash": {"identifier": "me/../you"},
    "region without a number": {"region": "europe-west"},
    "service account without a domain": {"service_account": "pipelines"},
}


@pytest.mark.slow
@pytest.mark.parametrize("answers", BAD_ANSWERS.values(), ids=BAD_ANSWERS)
def test_invalid_answers_are_rejected(
    template_repo: TemplateRepo, tmp_path: Path, answers: dict[str, str]
) -> None:
    project = tmp_path / "deep" / "project"
    [question] = answers
    # copier reports a failed `validator:` as ValueError naming the question
    with pytest.raises(ValueError, match=f"Validation error for question '{question}'") as caught:
        run_copy(
            str(template_repo.path),
            project,
            data=answers,
            defaults=True,
            quiet=True,
            vcs_ref=template_repo.v1,
        )
    assert "Traceback" not in str(caught.value)
    assert not (tmp_path / "evil").exists() and not (tmp_path / "deep" / "evil").exists()
    assert not (project / "config.yaml").exists()


@pytest.mark.slow
def test_cli_rejects_bad_slug_with_the_reason(template_repo: TemplateRepo, tmp_path: Path) -> None:
    result = copier_cli(
        "copy",
        "--defaults",
        "--vcs-ref",
        template_repo.v1,
        "-d",
        "package=../evil",
        str(template_repo.path),
        str(tmp_path / "p"),
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "lowercase letters" in result.stderr
    assert not (tmp_path / "evil").exists()


SHA = "0123456789abcdef0123456789abcdef01234567"
WHEEL = "https://pkgs.example.invalid/simple/kfp-templates/kfp_templates-1.0.0-py3-none-any.whl"
PIN_SOURCES = {
    "gh:acme/kfp-templates": "git+https://github.com/acme/kfp-templates",
    "gh:/acme/kfp-templates.git": "git+https://github.com/acme/kfp-templates.git",
    "gl:acme/kfp-templates": "git+https://gitlab.com/acme/kfp-templates",
    "https://example.invalid/acme/kfp-templates.git": (
        "git+https://example.invalid/acme/kfp-templates.git"
    ),
    "http://127.0.0.1:8080/kfp-templates.git": "git+http://127.0.0.1:8080/kfp-templates.git",
    "git+https://example.invalid/acme/kfp-templates": (
        "git+https://example.invalid/acme/kfp-templates"
    ),
    "ssh://git@example.invalid/acme/kfp-templates.git": (
        "git+ssh://git@example.invalid/acme/kfp-templates.git"
    ),
    "git+ssh://git@example.invalid:2222/kfp-templates.git": (
        "git+ssh://git@example.invalid:2222/kfp-templates.git"
    ),
    "git@example.invalid:acme/kfp-templates.git": (
        "git+ssh://git@example.invalid/acme/kfp-templates.git"
    ),
    "git://127.0.0.1:9418/kfp-templates.git": "git+git://127.0.0.1:9418/kfp-templates.git",
    "git+git://127.0.0.1/kfp-templates.git": "git+git://127.0.0.1/kfp-templates.git",
    # pip 23.2 refuses `git+file:///PATH` in a requirement; `file://localhost/PATH` installs
    "file:///srv/kfp-templates": "git+file://localhost/srv/kfp-templates",
    "git+file:///srv/kfp-templates": "git+file://localhost/srv/kfp-templates",
    "file://localhost/srv/kfp-templates": "git+file://localhost/srv/kfp-templates",
    "/srv/kfp-templates": "git+file://localhost/srv/kfp-templates",
    "/srv/kfp templates": "git+file://localhost/srv/kfp%20templates",
    "/srv/kfp-templates.bundle": "git+file://localhost/srv/kfp-templates.bundle",
    # relative and ~ paths: from the directory copier runs in, as copier resolves them
    "../kfp-templates": "git+file://localhost{cwd_parent}/kfp-templates",
    "kfp-templates": "git+file://localhost{cwd}/kfp-templates",
    "~/src/kfp-templates": "git+file://localhost{home}/src/kfp-templates",
}


def render_tool_requirement(
    answers: dict[str, Any], commit: str | None, extras: str = "kfp,vertex"
) -> str:
    """The macro as copier renders it: copier always loads jinja2_ansible_filters' core filters."""
    template = Environment(
        loader=FileSystemLoader(REPO),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
    ).from_string(
        "{% from 'template/_macros.jinja' import tool_requirement with context %}"
        "{{ tool_requirement(extras) }}"
    )
    return template.render(
        _copier_answers=answers,
        _copier_conf={"vcs_ref_hash": commit},
        tool_wheel_url=answers.get("tool_wheel_url", ""),
        extras=extras,
    )


def test_the_core_tool_requirement_has_no_extras() -> None:
    """The generated validate session installs `kfp-templates @ URL`, without kfp or vertex."""
    pin = render_tool_requirement({"_src_path": "gh:acme/kfp-templates"}, SHA, extras="")
    assert (Requirement(pin).name, Requirement(pin).extras) == ("kfp-templates", set())
    assert Requirement(pin).url == f"git+https://github.com/acme/kfp-templates@{SHA}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_vendored_readme_points_only_to_what_consumers_get(template: str) -> None:
    """reference/ and stubs/ are excluded from a copy (copier.yml), so never point there."""
    readme = (REPO / "producer_templates" / template / "README.md").read_text()
    assert "reference/" not in readme and "stubs/" not in readme


@pytest.mark.parametrize(("source", "url"), PIN_SOURCES.items(), ids=list(PIN_SOURCES))
def test_tool_pin_for_each_source_spelling(
    source: str, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every `_src_path` spelling copier accepts becomes a URL pinned at the template's commit."""
    cwd = Path(os.path.realpath(tmp_path / "work"))
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = url.format(cwd=cwd, cwd_parent=cwd.parent, home=tmp_path / "home") + "@" + SHA
    requirement = Requirement(render_tool_requirement({"_src_path": source}, SHA))
    assert (requirement.name, requirement.extras) == ("kfp-templates", {"kfp", "vertex"})
    assert requirement.url == expected


def test_without_a_commit_the_wheel_answer_is_the_pin() -> None:
    """A source that is no git repository: the hashed wheel URL answered, never the bare name."""
    wheel = f"{WHEEL}#sha256={'a' * 64}"
    requirement = Requirement(
        render_tool_requirement({"_src_path": "/srv/plain", "tool_wheel_url": wheel}, None)
    )
    assert requirement.url == wheel
    with pytest.raises(InvalidRequirement):  # no answer: pip fails loudly, never the index
        Requirement(render_tool_requirement({"_src_path": "/srv/plain"}, None))


def test_copier_yml_relies_on_no_private_copier_name() -> None:
    """Internal names (`copier._main`, its scratch-directory prefixes) change without notice;
    a template that matches them silently stops protecting user/ on the next copier release."""
    text = (Path(__file__).parents[2] / "copier.yml").read_text(encoding="utf-8")
    assert "copier._" not in text and "old_copy" not in text and "new_copy" not in text
