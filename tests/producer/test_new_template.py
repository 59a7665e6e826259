"""`new-template`: the scaffold passes `producer check` as generated, and refuses bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kfp_templates._cli.main import main
from kfp_templates._producer.copier_check import copier_choices


def _new(repo: Path, name: str) -> int:
    return main(["new-template", name, "--root", str(repo)])


def test_scaffold_writes_the_template_links_and_choice(template_repo: Path) -> None:
    assert _new(template_repo, "alpha") == 0
    base = template_repo / "producer_templates" / "alpha"
    for relative in (
        "contract.yaml",
        "pipeline.py",
        "components.py",
        "reference/user/process.py",
        "reference/config.yaml",
        "README.md",
        "CHANGELOG.md",
        "stubs/user/process.py",
    ):
        assert (base / relative).is_file(), relative
    link = template_repo / "template" / "{% if template == 'alpha' %}template_pipeline{% endif %}"
    assert os.readlink(link) == "../producer_templates/alpha"
    assert link.resolve() == base.resolve()
    user = template_repo / "template" / "{% if template == 'alpha' %}user{% endif %}"
    assert user.resolve() == (base / "stubs" / "user").resolve()
    assert copier_choices(template_repo)[0] == ["alpha"]


def test_second_template_copies_every_kind_of_link(template_repo: Path) -> None:
    assert _new(template_repo, "alpha") == 0
    extra = template_repo / "template" / "{% if template == 'alpha' %}docs{% endif %}"
    extra.symlink_to("../producer_templates/alpha/README.md")
    assert _new(template_repo, "beta") == 0
    for kind, target in (("user", "beta/stubs/user"), ("docs", "beta/README.md")):
        link = template_repo / "template" / f"{{% if template == 'beta' %}}{kind}{{% endif %}}"
        assert os.readlink(link) == f"../producer_templates/{target}"
    assert copier_choices(template_repo)[0] == ["alpha", "beta"]


def test_scaffold_passes_producer_check_without_running(
    template_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(template_repo, "alpha") == 0
    assert main(["producer", "check", str(template_repo), "--no-run"]) == 0, capsys.readouterr()
    assert "all checks passed" in capsys.readouterr().out


@pytest.mark.slow
def test_scaffold_runs_on_kfp_local(
    template_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(template_repo, "alpha") == 0
    assert main(["producer", "check", str(template_repo)]) == 0, capsys.readouterr()


def test_refuses_to_overwrite(template_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new(template_repo, "alpha") == 0
    contract = template_repo / "producer_templates" / "alpha" / "contract.yaml"
    contract.write_text(contract.read_text() + "# edited\n")
    capsys.readouterr()
    assert _new(template_repo, "alpha") == 2
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert contract.read_text().endswith("# edited\n")


@pytest.mark.parametrize("name", ["Alpha", "1alpha", "class", "my-template", "a" * 64, "../x"])
def test_invalid_names(template_repo: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _new(template_repo, name) == 2
    assert "is not a valid template name" in capsys.readouterr().err
    assert not any((template_repo / "producer_templates").iterdir())


def test_producer_check_finds_what_new_template_would_have_done(
    template_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(template_repo, "alpha") == 0
    (
        template_repo / "template" / "{% if template == 'alpha' %}template_pipeline{% endif %}"
    ).unlink()
    (template_repo / "copier.yml").write_text(
        (template_repo / "copier.yml").read_text().replace("alpha", "gamma")
    )
    stub = template_repo / "producer_templates" / "alpha" / "stubs" / "user" / "process.py"
    stub.write_text("# stale\n")
    capsys.readouterr()
    assert main(["producer", "check", str(template_repo), "--no-compile", "--format", "json"]) == 1
    out = capsys.readouterr().out
    for rule in ("VER400", "VER401", "VER403"):
        assert f'"rule": "{rule}"' in out
