"""Every rule id the tool can report, one module per family prefix.

- `CON`: the producer's contract (`contract.py`)
- `USR`: the consumer's `user/` code (`user_code.py`)
- `CFG`: the consumer's `config.yaml` (`config.py`)
- `PRJ`: project layout and copier update leftovers (`project.py`)
- `VER`: contract versions, releases and producer checks (`compat.py`)

`all_rules()` feeds the error catalogue in docs/ and the test that ids are unique.
"""

from __future__ import annotations

from types import ModuleType

from kfp_templates._rules import compat, config, contract, project, user_code
from kfp_templates._rules._model import Family, Rule

_FAMILY_MODULES: tuple[ModuleType, ...] = (contract, user_code, config, project, compat)


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
