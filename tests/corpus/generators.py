"""Inputs too big, too deep or too binary to write into the corpus YAML files.

A corpus file entry `{generate: NAME, args: {...}}` calls `NAME(**args)` here; the result (text
or bytes) is written to the case's path. Every generator is deterministic.
"""

from __future__ import annotations

BASE_PREPROCESS = (
    "from __future__ import annotations\n\nfrom typing import Any\n\nimport pandas as pd\n\n\n"
    "def preprocess(df: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.DataFrame:\n"
    '    """Drop rows with missing values."""\n    return df.dropna()\n'
)


def big_module(megabytes: int = 5) -> str:
    """A valid module of `megabytes` MB: the real function, then many plain assignments."""
    line = "value_{:08d} = {:d}  # padding to make the module big\n"
    lines = [BASE_PREPROCESS]
    size, index = len(BASE_PREPROCESS), 0
    while size < megabytes * 1024 * 1024:
        text = line.format(index, index)
        lines.append(text)
        size += len(text)
        index += 1
    return "".join(lines)


def big_comment_module(megabytes: int = 5) -> str:
    """The real function followed by one enormous comment line."""
    return BASE_PREPROCESS + "# " + "x" * (megabytes * 1024 * 1024) + "\n"


def nested_parens(depth: int = 10_000) -> str:
    """`x = ((((...1...))))` nested `depth` times, after the real function."""
    return BASE_PREPROCESS + "x = " + "(" * depth + "1" + ")" * depth + "\n"


def nested_lists(depth: int = 10_000) -> str:
    """`x = [[[[...]]]]` nested `depth` times."""
    return BASE_PREPROCESS + "x = " + "[" * depth + "]" * depth + "\n"


def nested_blocks(depth: int = 10_000) -> str:
    """`if True:` blocks nested `depth` times (one space of indentation per level)."""
    body = "".join(" " * level + "if True:\n" for level in range(depth))
    return BASE_PREPROCESS + body + " " * depth + "pass\n"


def long_binop(terms: int = 100_000) -> str:
    """`x = 1 + 1 + ... + 1`: a left-deep tree `terms` nodes deep."""
    return BASE_PREPROCESS + "x = " + " + ".join(["1"] * terms) + "\n"


def nested_annotation(depth: int = 10_000) -> str:
    """The required function whose annotation is `list[list[...]]` nested `depth` times."""
    annotation = "list[" * depth + "int" + "]" * depth
    return (
        "import pandas as pd\n\n\ndef preprocess(df: " + annotation + ", params=None)"
        " -> pd.DataFrame:\n    return df\n"
    )


def nested_unary(depth: int = 10_000) -> str:
    """`x = not not not ... 1`: deep unary operators (no parentheses)."""
    return BASE_PREPROCESS + "x = " + "not " * depth + "1\n"


def nested_lambdas(depth: int = 5_000) -> str:
    """`f = lambda: lambda: ... 1`."""
    return BASE_PREPROCESS + "f = " + "lambda: " * depth + "1\n"


def helper_with_wide_union(members: int = 500, where: str = "annotation") -> str:
    """The real function plus a helper the contract does not name, with a union of `members`
    names as an annotation, a decorator (PEP 614 allows any expression), or both (a flat union is shallow to Python)."""
    union = " | ".join(f"T{index}" for index in range(members))
    decorator = f"@{union}\n" if where in ("decorator", "both") else ""
    annotation = union if where in ("annotation", "both") else "int"
    return BASE_PREPROCESS + f"\n\n{decorator}def helper(x: {annotation}) -> None:\n    pass\n"


def required_with_wide_union(members: int = 500) -> str:
    """The required function with a union of `members` names for `params` (a finding, USR114)."""
    union = " | ".join(f"T{index}" for index in range(members))
    return (
        "import pandas as pd\n\n\ndef preprocess(df: pd.DataFrame, params: " + union
        + " = None) -> pd.DataFrame:\n    return df\n"
    )


def helper_with_nested_lambdas(depth: int = 400, where: str = "annotation") -> str:
    """A helper whose annotation, default or decorator is `lambda: lambda: ... 0`, `depth` deep:
    few enough for Python to parse, too deep for `ast.unparse`."""
    lambdas = "(" + "lambda: " * depth + "0)"
    if where == "decorator":
        return BASE_PREPROCESS + f"\n\n@{lambdas}\ndef helper(x) -> None:\n    pass\n"
    if where == "default":
        return BASE_PREPROCESS + f"\n\ndef helper(x={lambdas}) -> None:\n    pass\n"
    return BASE_PREPROCESS + f"\n\ndef helper(x: {lambdas}) -> None:\n    pass\n"


def required_with_nested_lambdas(depth: int = 400) -> str:
    """The required function annotated with `depth` nested lambdas (a finding, USR114)."""
    lambdas = "(" + "lambda: " * depth + "0)"
    return (
        "import pandas as pd\n\n\ndef preprocess(df: pd.DataFrame, params: " + lambdas
        + " = None) -> pd.DataFrame:\n    return df\n"
    )


def many_functions(count: int = 20_000) -> str:
    """The real function plus `count` small ones (a big but ordinary file under 1 MB)."""
    extra = "".join(f"def f{index}(a, b=1):\n    return a\n" for index in range(count))
    return BASE_PREPROCESS + extra


def latin1_module() -> bytes:
    """The real module with a Latin-1 comment (not UTF-8)."""
    return ("# caf\xe9 cr\xe8me\n" + BASE_PREPROCESS).encode("latin-1")


def utf16_module() -> bytes:
    """The real module encoded as UTF-16 (with its BOM)."""
    return BASE_PREPROCESS.encode("utf-16")


def nul_module() -> bytes:
    """The real module with NUL bytes in a comment."""
    return ("# a\0b\0\n" + BASE_PREPROCESS).encode("utf-8")


def random_bytes_module(size: int = 4096, seed: int = 7) -> bytes:
    """Deterministic pseudo-random bytes (a linear congruential generator, no `random`)."""
    out, state = bytearray(), seed
    for _ in range(size):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(state >> 16 & 0xFF)
    return bytes(out)


def bom_syntax_error() -> bytes:
    """A UTF-8 byte-order mark, then a syntax error on line 2."""
    return b"\xef\xbb\xbfimport pandas as pd\ndef preprocess(df:\n"


def yaml_billion_laughs(levels: int = 9, width: int = 9) -> str:
    """The classic alias bomb: each level repeats the previous one `width` times."""
    lines = ['l0: &l0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


def yaml_deep_flow(depth: int = 10_000) -> str:
    """`parameters: [[[[...]]]]` nested `depth` times."""
    return "parameters: " + "[" * depth + "]" * depth + "\n"


def yaml_deep_block(depth: int = 1_000) -> str:
    """Block mappings nested `depth` levels deep."""
    return "".join(" " * level + f"k{level}:\n" for level in range(depth)) + " " * depth + "v\n"


def yaml_huge(megabytes: int = 11) -> str:
    """A config larger than the loader's size cap, as one long comment."""
    return "parameters: {}\n# " + "x" * (megabytes * 1024 * 1024) + "\n"


def yaml_many_keys(count: int = 150_000) -> str:
    """A flat mapping with more values than the loader allows."""
    return "parameters:\n" + "".join(f"  k{index}: {index}\n" for index in range(count))


def yaml_long_scalar(megabytes: int = 3) -> str:
    """A valid-size config whose target column is megabytes long."""
    return "parameters:\n  target_column: " + "y" * (megabytes * 1024 * 1024) + "\n"


def json_deep_contract(depth: int = 5_000) -> str:
    """A contract whose description is a deeply nested flow sequence."""
    return (
        "contract_format: 1\nname: deep\nversion: 1.0.0\nmin_tool_version: '0.1'\n"
        "description: " + "[" * depth + "]" * depth + "\nfunctions: []\n"
    )


def contract_bomb(levels: int = 9, width: int = 9) -> str:
    """A contract carrying an alias bomb in an extra key."""
    return "contract_format: 1\nname: bomb\n" + yaml_billion_laughs(levels, width).replace(
        "l0:", "x0:"
    ).replace("\nl", "\nx")
