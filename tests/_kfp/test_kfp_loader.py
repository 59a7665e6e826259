"""Loading a template's factory and the context's helpers (specs: test_kfp_component_specs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfp_templates._errors import ContractError
from kfp_templates._kfp.context import TemplateContext
from kfp_templates._kfp.loader import build_pipeline
from kfp_templates._pipeline_ref import PipelineRef

from helpers import build_file_tree


def _context(tmp_path: Path, config: dict[str, object] | None = None) -> TemplateContext:
    return TemplateContext("img:1", config or {}, tmp_path, tmp_path)


BROKEN = {
    "import error": ({"pipeline.py": "import not_installed_anywhere\n"}, "cannot import"),
    "no factory": ({"pipeline.py": "x = 1\n"}, "no factory `demo`"),
    "factory raises": ({"pipeline.py": "def demo(ctx):\n    return 1 / 0\n"},
                       "ZeroDivisionError"),
    "reads a parameter without default": (
        {"pipeline.py": "def demo(ctx):\n    return ctx.param('n_rows')\n"},
        "parameters.n_rows"),
}


@pytest.mark.parametrize(("files", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_template_code_is_a_contract_error(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    build_file_tree(tmp_path, files)
    with pytest.raises(ContractError, match=message):
        build_pipeline(PipelineRef(tmp_path, "demo", "pipeline", "demo"), _context(tmp_path))


def test_relative_imports_work_and_each_build_imports_afresh(tmp_path: Path) -> None:
    ref = PipelineRef(tmp_path, "demo", "pipeline", "demo")
    for value in ("1", "22"):  # sizes differ, so a stale .pyc is never reused
        build_file_tree(tmp_path, {
            "helpers.py": f"VALUE = {value}\n",
            "pipeline.py": "from .helpers import VALUE\n\ndef demo(ctx):\n    return VALUE\n",
        })
        assert build_pipeline(ref, _context(tmp_path)) == int(value)


def test_template_context_is_public_and_loaded_only_when_asked_for() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    import kfp_templates  # noqa: PLC0415

    assert kfp_templates.TemplateContext is TemplateContext
    code = (
        "import sys, kfp_templates\n"
        "assert 'kfp' not in sys.modules, 'import kfp_templates loaded kfp'\n"
        "kfp_templates.TemplateContext\n"
        "assert 'kfp' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
