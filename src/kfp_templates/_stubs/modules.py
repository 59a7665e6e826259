"""Stubs generated from a contract: `user/` modules with the exact signatures, and `config.yaml`.

Producers commit the stubs under `producer_templates/NAME/stubs/` (a test fails when they drift
from the contract); copier copies them into a new consumer project; `kfp-templates stubs --missing`
adds the ones a newer contract needs without touching anything that exists. The stubs pass
`kfp-templates validate` against their own contract, so a fresh project starts green on structure
and only the bodies (`raise NotImplementedError`) are left to write.
"""

from __future__ import annotations

import ast
import json
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from kfp_templates._errors import ContractError
from kfp_templates._records import record
from kfp_templates._safe_paths import write_text_atomic
from kfp_templates._stubs.config import render_config
from kfp_templates._stubs.imports import import_block, imports_of
from kfp_templates.contract import (
    Contract,
    FunctionSpec,
    default_source,
    parameter_texts,
    return_text,
)

CONFIG_STUB = "config.yaml"
CONFIG_JINJA_STUB = "config.yaml.jinja"
REQUIREMENTS_STUB = "requirements.txt"
#: Files copier uses from the stubs that a consumer project does not hold under these names.
TEMPLATE_ONLY_STUBS = (CONFIG_JINJA_STUB, REQUIREMENTS_STUB)
_LINE_LIMIT = 99
_HEADER = "# Generated from the template's contract by `kfp-templates stubs`; this file is yours.\n"


@record
class StubFile:
    """One generated file: `path` is relative to the stubs root (or the consumer project)."""

    path: str
    text: str


def render_stubs(contract: Contract) -> tuple[StubFile, ...]:
    """Every stub file for `contract`, in a stable order.

    Raises:
        ContractError: when the contract cannot be written as Python (a bad annotation or
            stub default); `kfp-templates validate` on the template says more.
    """
    modules = _package_inits(contract) + tuple(_module_stubs(contract))
    configs = (
        StubFile(CONFIG_STUB, render_config(contract)),
        StubFile(CONFIG_JINJA_STUB, render_config(contract, jinja=True)),
        StubFile(REQUIREMENTS_STUB, _requirements(contract)),
    )
    return tuple(sorted(modules, key=lambda stub: stub.path)) + configs


def _requirements(contract: Contract) -> str:
    """The contract's run-time requirements, which copier writes into the project's pyproject."""
    lines = "".join(f"{requirement}\n" for requirement in contract.requirements)
    return (
        f"# Run-time requirements of the {contract.name} components (from the contract).\n{lines}"
    )


def _package_inits(contract: Contract) -> tuple[StubFile, ...]:
    packages = {"user"}
    for module in contract.modules:
        parts = module.split(".")
        packages.update(".".join(parts[:end]) for end in range(1, len(parts)))
    doc = (
        f'"""Your code for the {contract.name} template pipeline.\n\n'
        "The functions its contract requires (template_pipeline/contract.yaml) live in the\n"
        'modules of this package; `kfp-templates validate` checks them.\n"""\n'
    )
    return tuple(StubFile(package.replace(".", "/") + "/__init__.py", doc) for package in packages)


def _module_stubs(contract: Contract) -> Iterator[StubFile]:
    for module in contract.modules:
        functions = [function for function in contract.functions if function.module == module]
        yield StubFile(functions[0].file, _module_text(contract, functions))


def _module_text(contract: Contract, functions: list[FunctionSpec]) -> str:
    sources = [_function_text(contract, function) for function in functions]
    imports = set().union(*(imports_of(contract, function) for function in functions))
    doc = f'"""{functions[0].module}: functions required by the {contract.name} template."""\n'
    return _HEADER + doc + import_block(imports) + "\n\n" + "\n\n".join(sources)


def _function_text(contract: Contract, function: FunctionSpec) -> str:
    _check_stub_defaults(contract, function)
    params = parameter_texts(function)
    head = f"def {function.name}("
    returns = return_text(function)
    tail = f") -> {returns}:" if returns is not None else "):"
    one_line = head + ", ".join(params) + tail
    if len(one_line) <= _LINE_LIMIT:
        signature = one_line
    else:
        signature = head + "\n" + "".join(f"    {p},\n" for p in params) + tail
    return f"{signature}\n{_docstring(function)}{_body(function)}"


def _check_stub_defaults(contract: Contract, function: FunctionSpec) -> None:
    """A string `stub_default` the stub writes must be a Python expression, or it would not parse.

    Raises:
        ContractError: naming the function and parameter.
    """
    for spec in function.parameters:
        value = default_source(spec)
        if value is None or not isinstance(spec.stub_default, str):
            continue
        try:
            ast.parse(value, mode="eval")
        except SyntaxError:
            raise ContractError(
                f"{function.qualified_name}: stub_default {value!r} of {spec.name!r} is not a "
                "Python expression",
                hint="quote string defaults inside the YAML string, such as \"'auto'\"",
                location=str(contract.source),
            ) from None


def _docstring(function: FunctionSpec) -> str:
    """Google style: the contract's doc, then Args from parameter descriptions, then Returns."""
    sections = [
        _paragraphs(function.doc.strip() or f"The {function.name} step the template calls.")
    ]
    described = [p for p in function.parameters if p.kind not in ("var_positional", "var_keyword")]
    if described:
        entries = []
        for spec in described:
            text = spec.description.strip() or "See the template's README."
            if spec.optional:  # the template passes it only to functions that accept it
                text += " Optional: you may remove this parameter."
            entries += textwrap.wrap(f"{spec.name}: {text}", 84, subsequent_indent="    ")
        sections.append(["Args:", *(f"    {line}" for line in entries)])
    returns = return_text(function)
    if returns not in (None, "None"):
        sections.append(["Returns:", f"    {returns}"])
    lines = [line for section in sections for line in ("", *section)][1:]
    body = "\n".join(f"    {line}".rstrip() for line in lines)
    escaped = body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'    """{escaped.lstrip()}\n    """\n'


def _paragraphs(text: str) -> list[str]:
    """The doc re-wrapped to fit the stub's line length, keeping its paragraph breaks."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        lines += [*textwrap.wrap(" ".join(paragraph.split()), 88), ""]
    return lines[:-1]


def _body(function: FunctionSpec) -> str:
    if function.stub_body.strip():
        return textwrap.indent(textwrap.dedent(function.stub_body).strip("\n"), "    ") + "\n"
    message = json.dumps(
        f"write {function.qualified_name} in {function.file} (see template_pipeline/README.md)"
    )
    return f"    raise NotImplementedError(\n        {message}\n    )\n"


def write_stubs(stubs: Iterable[StubFile], root: Path) -> list[Path]:
    """Write every stub under `root`, replacing what is there; returns the paths written.

    Each file is replaced atomically and never through a link (a symlink in its place is
    replaced, not written through; a linked directory leading out of `root` is refused).
    """
    written: list[Path] = []
    for stub in stubs:
        path = root / PurePosixPath(stub.path)
        if path.is_symlink() or not path.is_file() or path.read_text(encoding="utf-8") != stub.text:
            write_text_atomic(path, stub.text, inside=root)
            written.append(path)
    return written


def stale_files(stubs: Iterable[StubFile], root: Path) -> list[Path]:
    """Files under `root/user` that no stub produces any more (a module the contract dropped)."""
    expected = {root / PurePosixPath(stub.path) for stub in stubs}
    user = root / "user"
    found = user.rglob("*.py") if user.is_dir() else iter(())
    return sorted(path for path in found if path not in expected)


def drift(stubs: Iterable[StubFile], root: Path) -> list[str]:
    """One line per stub that differs from the file under `root` (missing, changed, stale)."""
    stubs = tuple(stubs)
    problems: list[str] = []
    for stub in stubs:
        path = root / PurePosixPath(stub.path)
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != stub.text:
            problems.append(f"{path}: differs from the contract")
    problems.extend(f"{path}: no longer in the contract" for path in stale_files(stubs, root))
    return problems


def missing_stubs(stubs: Iterable[StubFile], project: Path) -> list[StubFile]:
    """The consumer-facing stubs (user modules, config.yaml) whose files do not exist yet."""
    return [
        stub
        for stub in stubs
        if stub.path not in TEMPLATE_ONLY_STUBS
        and not (project / PurePosixPath(stub.path)).exists()
    ]
