"""`engine_for`: one place picks the engine, importing only that engine's client."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kfp_templates._dispatch.engines import ENGINES, engine_for
from kfp_templates._errors import ConsumerError, UsageError

CONFIG = {"gcp": {"project": "my-project-123", "region": "europe-west4"},
          "run": {"kfp": {"host": "http://10.0.0.1:8888"}}}


@pytest.mark.parametrize(
    ("name", "kind", "light"),
    [("vertex", "VertexEngine", "kfp"), ("kfp", "KfpEngine", "google.cloud.aiplatform")],
)
def test_each_engine_loads_only_its_own_client(name: str, kind: str, light: str) -> None:
    """Choosing and checking an engine imports the other engine's client never, and Vertex's
    own (two seconds) not before a request is made."""
    code = (
        "import sys\n"
        "from kfp_templates._dispatch.engines import engine_for\n"
        f"engine = engine_for({name!r}, {CONFIG!r}, insecure=True)\n"
        f"assert type(engine).__name__ == {kind!r}\n"
        "engine.target()\n"
        f"assert {light!r} not in sys.modules, {light!r}\n"
        "print('google.cloud.aiplatform' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", "aiplatform imported before any request"


def test_unknown_engine_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown engine 'argo'") as raised:
        engine_for("argo", CONFIG)
    assert all(name in raised.value.hint for name in ENGINES)


@pytest.mark.parametrize(
    ("name", "options", "refused"),
    [("kfp", {}, "refusing plain-http run.kfp.host"),
     ("kfp", {"insecure": True}, ""),
     ("vertex", {"api_endpoint": "http://vertex.example"}, "refusing plain-http endpoint"),
     ("vertex", {}, "")],
)
def test_targets_are_checked_with_the_command_line_options(
    name: str, options: dict[str, object], refused: str
) -> None:
    engine = engine_for(name, CONFIG, **options)  # type: ignore[arg-type]
    if not refused:
        engine.target()  # type: ignore[attr-defined]
        return
    with pytest.raises((ConsumerError, UsageError), match=refused):
        engine.target()  # type: ignore[attr-defined]
