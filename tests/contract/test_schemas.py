"""No schema the tool evaluates can make it fetch a `$ref` (docs/security.md, "never fetches")."""

from __future__ import annotations

import ast
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from referencing.exceptions import Unresolvable

from kfp_templates.contract import schema_validator

SRC = Path(__file__).parents[2] / "src" / "kfp_templates"


@pytest.fixture
def listening() -> Iterator[tuple[int, list[object]]]:
    """A loopback TCP listener that records every connection it accepts."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize(
    "where",
    [
        lambda ref: {"$ref": ref},
        lambda ref: {"properties": {"a": {"$ref": ref}}},
        lambda ref: {"$defs": {"x": {"$ref": ref}}, "allOf": [{"$ref": "#/$defs/x"}]},
    ],
    ids=["root", "nested", "through-local-ref"],
)
def test_remote_ref_fails_without_a_connection(
    listening: tuple[int, list[object]], where, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, accepted = listening
    opened: list[object] = []
    real_connect = socket.socket.connect
    monkeypatch.setattr(
        socket.socket,
        "connect",
        lambda self, address: opened.append(address) or real_connect(self, address),
    )
    schema = where(f"http://127.0.0.1:{port}/schema.json")
    with pytest.raises(Unresolvable):
        list(schema_validator(schema).iter_errors({"a": 1}))
    assert opened == [] and accepted == []


def _validator_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if name.endswith("Validator") or name == "validator_for":
                yield node


def test_every_validator_in_the_package_gets_the_no_fetch_registry() -> None:
    """A jsonschema validator built without `registry=` downloads unknown `$ref` URLs."""
    unguarded = [
        f"{path.relative_to(SRC)}:{call.lineno}"
        for path in sorted(SRC.rglob("*.py"))
        for call in _validator_calls(ast.parse(path.read_text(encoding="utf-8")))
        if not any(keyword.arg == "registry" for keyword in call.keywords)
    ]
    assert unguarded == [], "build validators with kfp_templates.contract.schema_validator"
