"""Every rule id the tool can report, one module per family, named for its id prefix.

- `CON`: the producer's contract (`con.py`)
- `USR`: the consumer's `user/` code (`usr.py`)
- `CFG`: the consumer's `config.yaml` (`cfg.py`)
- `PRJ`: project layout and copier update leftovers (`prj.py`)
- `VER`: contract versions, releases and producer checks (`ver.py`)

`all_rules()` feeds the error catalogue in docs/ and the test that ids are unique.
"""

from __future__ import annotations

from types import ModuleType

from kfp_templates._rules import cfg, con, prj, usr, ver
from kfp_templates._rules._model import Family, Rule

_FAMILY_MODULES: tuple[ModuleType, ...] = (con, usr, cfg, prj, ver)


def all_rules() -> list[Rule]:
    """All rules, sorted by id."""
    found = [
        value
        for module in _FAMILY_MODULES
        for value in vars(module).values()
        if isinstance(value, Rule)
    ]
    return sorted(found, key=lambda rule: rule.id)


__all__ = ["Family", "Rule", "all_rules"]
