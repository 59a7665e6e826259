"""Rules about the consumer's `user/` code (`USR`), found statically with `ast`."""

from kfp_templates._rules._model import Family, Rule

_C = Family.CONSUMER

MODULE_MISSING = Rule(
    "USR100",
    "required module missing",
    _C,
    "The contract needs a module in user/ that does not exist. Create the file it names (for "
    "example user/train.py) with the function the contract lists; `kfp-templates` can print the "
    "expected signature in the fix line.",
)
FUNCTION_MISSING = Rule(
    "USR101",
    "required function missing",
    _C,
    "The module exists but does not define the function at module level. Add the `def` shown in "
    "the fix line (defining it inside another function or class does not count).",
)
SYNTAX_ERROR = Rule(
    "USR102",
    "syntax error in a user module",
    _C,
    "Python cannot parse the module, so nothing in it can be checked. Fix the syntax at the "
    "reported line and column.",
)
NOT_UTF8 = Rule(
    "USR103",
    "user module cannot be decoded",
    _C,
    "The file holds bytes that are not valid in its encoding: UTF-8, or the one a PEP 263 "
    "coding comment (`# -*- coding: latin-1 -*-`) names. Python refuses to import it. Re-save "
    "the file as UTF-8 (and drop the coding comment), or fix the comment.",
)
FILE_TOO_LARGE = Rule(
    "USR104",
    "user module too large to check",
    _C,
    "Files over 1 MiB are not parsed (generated data does not belong in user/). Move data out "
    "of the module or split it.",
)
TOO_DEEP = Rule(
    "USR105",
    "user module nested too deeply to parse",
    _C,
    "Python's parser gave up on the module's nesting depth. Flatten the deeply nested "
    "expression or block.",
)
NOT_A_FUNCTION = Rule(
    "USR106",
    "name is not a function",
    _C,
    "The contract needs a function, but the name is a class or a module. Rename the class or "
    "module, and define the function with `def`.",
)
UNVERIFIABLE_BINDING = Rule(
    "USR107",
    "function bound by assignment or imported from outside user/",
    _C,
    "The name is assigned (`train = make()`) or imported from a package outside user/, so its "
    "signature cannot be read statically. Define it with `def` in user/ (it may call the other "
    "function) to have it checked.",
    warning=True,
)
REEXPORT_CYCLE = Rule(
    "USR108",
    "re-exports form a cycle",
    _C,
    "`from .a import f` in b and `from .b import f` in a never reach a definition. Define the "
    "function in one module and import it from there.",
)
PARAMETER_MISSING = Rule(
    "USR109",
    "required parameter missing",
    _C,
    "The function lacks a parameter the pipeline passes. Add it with the name, kind and "
    "annotation in the fix line.",
)
PARAMETER_KIND = Rule(
    "USR110",
    "parameter has the wrong kind",
    _C,
    "The pipeline passes the argument positionally or by keyword as the contract says; a "
    "parameter after `*` is keyword-only and one before `/` positional-only. Move it to the "
    "right side of `*` or `/`.",
)
PARAMETER_POSITION = Rule(
    "USR111",
    "positional parameter in the wrong place",
    _C,
    "Positional arguments bind by position, so the parameters must come in the contract's "
    "order. Reorder them (extra parameters go after the contract's positional ones).",
)
DEFAULT_FORBIDDEN = Rule(
    "USR112",
    "parameter has a default the contract forbids",
    _C,
    "The pipeline always passes this argument; a default hides a missing value. Remove the "
    "`= ...` default.",
)
DEFAULT_REQUIRED = Rule(
    "USR113",
    "parameter lacks a required default",
    _C,
    "The pipeline may leave this argument out, so it must have a default. Add `= VALUE`.",
)
ANNOTATION_MISMATCH = Rule(
    "USR114",
    "parameter annotation differs from the contract",
    _C,
    "The annotation names a different type than the contract (after resolving imports and "
    "aliases such as `pd` -> `pandas`, `Dict` -> `dict`, `Optional[X]` -> `X | None`). Change "
    "it to the type in the fix line.",
)
ANNOTATION_MISSING = Rule(
    "USR115",
    "parameter annotation missing",
    _C,
    "The contract fixes the parameter's type; annotate it so the check (and readers) can see "
    "it matches.",
)
RETURNS_MISMATCH = Rule(
    "USR116",
    "return annotation differs from the contract",
    _C,
    "The function's `-> TYPE` names a different type than the contract. Change it to the type "
    "in the fix line.",
)
RETURNS_MISSING = Rule(
    "USR117",
    "return annotation missing",
    _C,
    "The contract fixes the return type; add `-> TYPE` as in the fix line.",
)
EXTRA_WITHOUT_DEFAULT = Rule(
    "USR118",
    "extra parameter without a default",
    _C,
    "The pipeline only passes the contract's arguments, so any extra parameter needs a default "
    "(or must be `*args`/`**kwargs`). Give it a default or remove it.",
)
EXTRA_FORBIDDEN = Rule(
    "USR119",
    "extra parameter not allowed",
    _C,
    "This contract function accepts exactly the listed parameters. Remove the extra one.",
)
ASYNC_NOT_ALLOWED = Rule(
    "USR120",
    "async function not allowed",
    _C,
    "The pipeline calls the function synchronously; an `async def` would return a coroutine. "
    "Use a plain `def` (call async code with `asyncio.run` inside it).",
)
COMPONENT_TYPE = Rule(
    "USR121",
    "component annotation kfp refuses",
    _C,
    "A component's parameters and return must be what kfp's `dsl.component` accepts: `str`, "
    "`int`, `float`, `bool`, `list`, `dict` (also typed, `List[str]`, `Dict[str, int]`), "
    "`Optional[...]` of those, artifacts (`Input[Dataset]`, `Output[Model]`, a bare `Dataset`), "
    "`InputPath(...)`/`OutputPath(...)`, and `NamedTuple` outputs. The message gives kfp's "
    "reason. Change the annotation.",
)
STAR_IMPORT = Rule(
    "USR122",
    "function may come from a star import",
    _C,
    "`from X import *` may bind the name, but what it binds cannot be known statically. Import "
    "the function by name, or define it here, to have it checked.",
    warning=True,
)
CONDITIONAL_DEFINITION = Rule(
    "USR123",
    "function defined conditionally",
    _C,
    "The `def` sits inside a module-level `if`, `try`, `for`, `while`, `match` or `with`, so "
    "whether (and which) definition exists depends on run time. Define it unconditionally if "
    "you can.",
    warning=True,
)
DECORATED = Rule(
    "USR124",
    "decorator may change the signature",
    _C,
    "The checked signature is the `def`'s own; a decorator may replace it. Make sure the "
    "decorator keeps the signature (for example with `functools.wraps`).",
    warning=True,
)
COMPONENT_SETTING = Rule(
    "USR130",
    "component decorator setting not honoured",
    _C,
    "The step runs your function in the project's image, built from the contract's base image "
    "(or config `image.base_image`) with your requirements. A `@dsl.component` setting that asks "
    "for something else (another `base_image`, `target_image`, a setting that is not a literal) "
    "would be silently ignored, so it is refused. Move the setting where the message says.",
)
REEXPORT_MISSING = Rule(
    "USR125",
    "re-exported name not found",
    _C,
    "`from .x import f` names a module or function in user/ that does not exist. Fix the import "
    "or define the function in the module it imports from.",
)
UNREADABLE = Rule(
    "USR126",
    "user module cannot be read",
    _C,
    "The file exists but reading it failed (permissions, a broken disk or mount). Make it "
    "readable by the user running `kfp-templates validate`.",
)
ANNOTATION_NAME_ERROR = Rule(
    "USR127",
    "annotation names something not defined",
    _C,
    "Python evaluates annotations when the `def` runs (unless the module starts with `from "
    "__future__ import annotations`), so a name that nothing bound before the def, such as "
    "`pandas` without `import pandas`, raises NameError and importing the module fails. Import "
    "the name before the def, or add `from __future__ import annotations`.",
)
REBOUND = Rule(
    "USR128",
    "function name rebound after its def",
    _C,
    "A later module-level statement (a `for` loop target, `with ... as`, `:=`, a match "
    "pattern, `+=`) binds the name again; Python keeps the last binding, so the pipeline would "
    "not get the function. Rename the other variable.",
)
UNDECLARED_IMPORT = Rule(
    "USR129",
    "import that no declared dependency provides",
    _C,
    "A module-level import in user/ names a package that is neither in the standard library, "
    "nor in user/, nor provided by a declared dependency (the project's requirements.txt or "
    "the contract's `requirements`). It would fail in the built image. Add the distribution "
    "named in the fix line to requirements.txt.",
)
UNKNOWN_IMPORT = Rule(
    "USR131",
    "import whose distribution is unknown",
    _C,
    "A module-level import in user/ matches no declared dependency by name, and no installed "
    "distribution says it provides it, so whether the image will have it cannot be told. "
    "Install the project's dependencies where you run validate (then the mapping is known), or "
    "declare the distribution in requirements.txt.",
    warning=True,
)
