"""Imports in `user/` that no declared dependency provides (`USR129`, `USR131`), statically,
and option lines in requirements.txt that `build` would refuse (`PRJ103`).

An import is provided by the standard library (`sys.stdlib_module_names`), by `user/` itself,
or by a declared distribution: one named like it (deptry's fallback: `scikit_learn` for
`scikit-learn`), or one whose installed metadata lists it as a top-level module. Which
distribution provides an import name comes from `importlib.metadata` (the installed packages'
own records), never from a table of ours: when nothing installed provides it, the mapping is
unknown and the finding is a warning. A distribution that a declared one requires (installed
metadata again) is in the image too, so importing it is not reported.

`importlib.metadata` is imported only when a name is not matched directly: a project whose
imports are named like their distributions pays nothing for this check.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._layout import ProjectLayout
from kfp_templates._records import field, record
from kfp_templates._rules import prj
from kfp_templates._rules import usr as rules
from kfp_templates._rules._model import Rule
from kfp_templates.contract import Contract
from kfp_templates.validators._distributions import (
    is_installed,
    providers_by_import,
    required_closure,
    top_levels,
)
from kfp_templates.validators._requirements import (
    REQUIREMENTS_FILE,
    canonical_name,
    is_option_line,
    names_in,
    requirement_lines,
)
from kfp_templates.validators.extract import USER_PACKAGE, ImportLine, ModuleReader, user_modules

_STDLIB = frozenset(sys.stdlib_module_names)


def check_dependencies(
    layout: ProjectLayout, contract: Contract, reader: ModuleReader | None = None
) -> Iterator[Finding]:
    """A finding for each module-level import in `user/` that no declared dependency provides,
    after one for each option line of requirements.txt."""
    lines = requirement_lines(layout.root)  # read once, for both checks
    yield from _option_lines(lines)
    reader = reader or ModuleReader(layout.root)
    mapping = _Mapping(names_in(lines, contract.requirements))
    for module in user_modules(layout.root):
        for line in reader.imports_of(module):  # an unreadable module: the user check says so
            if line.top in _STDLIB or line.top == USER_PACKAGE:
                continue
            found = mapping.finding(line.top, layout)
            if found is not None:
                yield found(line)


def _option_lines(lines: list[tuple[int, str]]) -> Iterator[Finding]:
    """`PRJ103` for each option line of requirements.txt: found here, before `build` refuses
    it at the same line."""
    for number, line in lines:
        if is_option_line(line):
            yield Finding(
                prj.REQUIREMENTS_OPTION,
                f"`{line}` is a pip option, not a requirement; `build` refuses it",
                Location(REQUIREMENTS_FILE, number),
                "write each requirement on its own line (`xgboost>=2`), copying those of any "
                "referenced file in",
            )


@record
class _Report:
    """A finding for one import statement, waiting for its location."""

    rule: Rule
    message: str
    fix: str

    def __call__(self, line: ImportLine) -> Finding:
        where = Location(line.path, line.line, line.column)
        severity = Severity.WARNING if self.rule.warning else Severity.ERROR
        return Finding(self.rule, self.message, where, self.fix, severity)


@record(frozen=False)
class _Mapping:
    """Declared distributions, and what they provide, looked up one step at a time."""

    declared: frozenset[str]
    _provided: set[str] | None = None
    _direct: dict[str, bool] = field(default_factory=dict)

    def finding(self, top: str, layout: ProjectLayout) -> _Report | None:
        """None when a declared dependency provides `top`, else what to report."""
        if canonical_name(top) in self.declared:
            return None  # named like its distribution: no metadata needed
        if is_installed(top) and (self.provides_directly(top) or top in self.provided()):
            return None
        how = f"add it to {REQUIREMENTS_FILE} at the project root"
        if not (layout.root / REQUIREMENTS_FILE).is_file():
            how = f"create {REQUIREMENTS_FILE} at the project root with it"
        providers = providers_by_import().get(top, ()) if is_installed(top) else ()
        if not providers:
            return _Report(
                rules.UNKNOWN_IMPORT,
                f"`import {top}` matches no declared dependency, and no installed distribution "
                "says it provides it; the built image may not have it",
                f"find the distribution that provides `{top}` and {how}, or install the "
                "project's dependencies so validate can tell",
            )
        named = " or ".join(providers[:3]) + (
            f" (or {len(providers) - 3} more)" * (len(providers) > 3)
        )
        return _Report(
            rules.UNDECLARED_IMPORT,
            f"`import {top}` needs the distribution {named}, which is not declared "
            f"({REQUIREMENTS_FILE} or the contract's requirements); it fails in the built image",
            f"{how}: `{providers[0]}`",
        )

    def provides_directly(self, top: str) -> bool:
        """Whether a declared distribution itself provides `top`: a few records, read before
        the closure of everything they require (tens of records) is worth reading."""
        if top not in self._direct:
            self._direct[top] = any(top_levels(name, among=top) for name in self.declared)
        return self._direct[top]

    def provided(self) -> set[str]:
        """Import names the declared distributions and what they require provide."""
        if self._provided is None:
            closure = required_closure(self.declared)
            self._provided = {top for name in closure for top in top_levels(name)}
        return self._provided
