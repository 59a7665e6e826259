"""Hypothesis strategies: Python-ish text, random function ASTs, YAML-ish text and YAML trees."""

from __future__ import annotations

import ast
from typing import Any

import yaml
from hypothesis import strategies as st

NAMES = ["df", "params", "target", "seed", "preprocess", "train", "str", "int", "dict", "list",
         "Any", "pd", "typing", "x", "_", "self", "None", "print", "lambda", "async"]
MODULES = ["pandas", "typing", "user", "user.train", ".train", "..x", "os", "collections.abc"]
TOKENS = ["def", "preprocess", "(", ")", ":", "->", ",", "*", "**", "/", "=", "None", "df",
          "params", "pd.DataFrame", "dict[str, Any]", "|", "[", "]", "{", "}", "\n", "    ",
          "\t", "import", "from", "as", "pandas", "@", "async", "class", "if", "else", "try",
          "except", "lambda", "return", "'", '"', '"""', "#", "\\", ";", "\x00", "\ufeff",
          "\u00e9", "1", "0x", "...", "from __future__ import annotations", "*,", "yield"]


def python_ish_text() -> st.SearchStrategy[str]:
    """Sequences of Python tokens and hostile characters, mostly not valid Python."""
    return st.lists(st.sampled_from(TOKENS), max_size=80).map(" ".join)


def _annotation(depth: int = 0) -> st.SearchStrategy[ast.expr]:
    leaf = st.one_of(
        st.sampled_from(NAMES).map(lambda n: ast.Name(n, ast.Load())),
        st.sampled_from(["pd", "typing", "np"]).flatmap(
            lambda base: st.sampled_from(["DataFrame", "Any", "Optional", "int"]).map(
                lambda attr: ast.Attribute(ast.Name(base, ast.Load()), attr, ast.Load()))),
        st.text(max_size=12).map(ast.Constant),
        st.just(ast.Constant(None)),
    )
    if depth >= 3:
        return leaf
    inner = st.deferred(lambda: _annotation(depth + 1))
    return st.one_of(
        leaf,
        st.tuples(leaf, st.lists(inner, min_size=1, max_size=3)).map(
            lambda p: ast.Subscript(p[0], ast.Tuple(p[1], ast.Load()) if len(p[1]) > 1
                                    else p[1][0], ast.Load())),
        st.tuples(inner, inner).map(lambda p: ast.BinOp(p[0], ast.BitOr(), p[1])),
    )


def _argument() -> st.SearchStrategy[ast.arg]:
    return st.builds(ast.arg, st.sampled_from(NAMES[:12]),
                     st.one_of(st.none(), _annotation()))


@st.composite
def _arguments(draw: st.DrawFn) -> ast.arguments:
    posonly = draw(st.lists(_argument(), max_size=2))
    args = draw(st.lists(_argument(), max_size=4))
    kwonly = draw(st.lists(_argument(), max_size=2))
    n_defaults = draw(st.integers(0, len(args)))
    constant = st.sampled_from([None, 0, "", 1.5]).map(ast.Constant)
    return ast.arguments(
        posonlyargs=posonly, args=args,
        vararg=draw(st.one_of(st.none(), _argument())),
        kwonlyargs=kwonly, kw_defaults=[draw(st.one_of(st.none(), constant)) for _ in kwonly],
        kwarg=draw(st.one_of(st.none(), _argument())),
        defaults=[draw(constant) for _ in range(n_defaults)],
    )


@st.composite
def _function(draw: st.DrawFn) -> ast.stmt:
    kind = draw(st.sampled_from([ast.FunctionDef, ast.AsyncFunctionDef]))
    decorators = draw(st.lists(st.sampled_from(NAMES).map(lambda n: ast.Name(n, ast.Load())),
                               max_size=2))
    return kind(name=draw(st.sampled_from(["preprocess", "train", "helper", "str"])),
                args=draw(_arguments()), body=[ast.Pass()], decorator_list=decorators,
                returns=draw(st.one_of(st.none(), _annotation())), type_comment=None)


def _import() -> st.SearchStrategy[ast.stmt]:
    alias = st.builds(ast.alias, st.sampled_from([*NAMES, "DataFrame", "*"]),
                      st.one_of(st.none(), st.sampled_from(NAMES)))
    return st.one_of(
        st.builds(lambda m, a: ast.Import([ast.alias(m.lstrip("."), a)]),
                  st.sampled_from(MODULES), st.one_of(st.none(), st.sampled_from(NAMES))),
        st.builds(
            lambda m, names: ast.ImportFrom(m.lstrip("."), names, len(m) - len(m.lstrip("."))),
            st.sampled_from(MODULES),
            st.lists(alias, min_size=1, max_size=3),
        ),
    )


def _statement(depth: int = 0) -> st.SearchStrategy[ast.stmt]:
    assign = st.builds(lambda target, value: ast.Assign([ast.Name(target, ast.Store())], value,
                                                        lineno=1),
                       st.sampled_from(NAMES[:12]), _annotation())
    simple = st.one_of(_function(), _import(), assign)
    if depth >= 2:
        return simple
    body = st.lists(st.deferred(lambda: _statement(depth + 1)), min_size=1, max_size=3)
    return st.one_of(
        simple,
        st.builds(lambda b, o: ast.If(ast.Name("x", ast.Load()), b, o), body,
                  st.lists(st.deferred(lambda: _statement(depth + 1)), max_size=2)),
        st.builds(lambda b: ast.Try(b, [ast.ExceptHandler(None, None, [ast.Pass()])], [], []),
                  body),
        st.builds(lambda b: ast.ClassDef("preprocess", [], [], b, []), body),
    )


def python_modules() -> st.SearchStrategy[str]:
    """Random but valid modules of functions, imports, assignments and blocks, unparsed."""
    return st.lists(_statement(), max_size=6).map(
        lambda body: ast.unparse(ast.fix_missing_locations(ast.Module(body, []))))


@st.composite
def mutated(draw: st.DrawFn, source: st.SearchStrategy[str]) -> str:
    """`source` with a few slices deleted, duplicated or replaced by a hostile token."""
    text = draw(source)
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 20)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        middle = {"delete": "", "duplicate": text[start:end] * 2,
                  "insert": draw(st.sampled_from(TOKENS))}[action]
        text = text[:start] + middle + text[end:]
    return text


YAML_TOKENS = ["parameters", "steps", "train", "gcp", "run", "local", "image", ":", "- ", "\n",
               "  ", "\t", "{", "}", "[", "]", ",", "&a", "*a", "<<", "!!python/name:os.system",
               "!tag", "?", "|", ">", "'", '"', "#", "---", "...", "%YAML 1.1", "~", "null",
               "yes", "no", ".nan", ".inf", "0x1F", "1e400", "2001-12-14", "\x00", "\ufeff",
               "\x85", "é", "target_column", "n_rows", "test_fraction", "cpu", "memory", "1"]


def yaml_ish_text() -> st.SearchStrategy[str]:
    """Sequences of YAML syntax, keys of the base schema and hostile scalars."""
    return st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join)


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                     st.text(max_size=20), st.sampled_from(["2G", "europe-west4", "y", "1"]))


def yaml_trees() -> st.SearchStrategy[str]:
    """Random mappings over the base schema's keys (and others), dumped as YAML."""
    keys = st.one_of(st.sampled_from(["parameters", "steps", "train", "preprocess", "gcp",
                                      "project", "region", "run", "local", "image", "name",
                                      "target_column", "n_rows", "test_fraction", "cpu",
                                      "memory", "env", "labels"]), st.text(max_size=8))
    tree = st.recursive(_scalars(), lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)),
        max_leaves=25)
    return st.dictionaries(keys, tree, max_size=5).map(
        lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
