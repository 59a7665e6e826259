"""Which user/ functions an executor's code calls: read with ast from its container command."""

from __future__ import annotations

import pytest

from kfp_templates._graph.user_calls import user_calls

SHELL = 'program_path=$(mktemp -d)\nprintf "%s" "$0" > "$program_path/user.py"\n'


def executor(*words: str, args: tuple[str, ...] = ()) -> dict[str, object]:
    return {"container": {"command": ["sh", "-ec", SHELL, *words], "args": list(args)}}


@pytest.mark.parametrize(
    "spec, expected",
    [
        (executor("from user.train import train as t\nt()\n"), ("user.train.train",)),
        (executor("def f():\n    from user.a import b, c\n"), ("user.a.b", "user.a.c")),
        (executor("import user.score\nuser.score.predict(1)\n"), ("user.score.predict",)),
        (executor("import user.score as s\ns.predict(1)\ns.x.y()\n"), ("user.score.predict",)),
        (executor("from user import helpers\n"), ("user.helpers",)),
        (executor("from users.x import y\nimport username\n"), ()),
        (executor("from .user import x\n"), ()),  # relative: the component's own package
        (executor(args=("python", "-m", "user.job", "--x", "1")), ("user.job",)),
        (executor("def broken(:\n  user\n"), ()),  # not Python: nothing read, nothing run
        ({"importer": {"artifactUri": {"constant": "gs://user/x"}}}, ()),
        ("not a mapping", ()),
    ],
)
def test_user_calls(spec: object, expected: tuple[str, ...]) -> None:
    assert user_calls(spec) == expected


def test_a_repeated_import_is_named_once() -> None:
    spec = executor("from user.a import b\n", "from user.a import b\n")
    assert user_calls(spec) == ("user.a.b",)
