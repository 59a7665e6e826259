"""Load the consumer's config file, check it against the contract's schema, apply defaults.

`load_config` is the one implementation: `validate` reports its findings (`check_config`), and
compile, run, build and submit take its data, with the producer's defaults filled in, through
`require_valid_config`. The YAML is loaded safely with line marks (`_yamlio`), and the schema's
`$ref`s resolve only against the contract itself and the bundled `urn:kfp-templates:` schemas, so
nothing is ever fetched.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from pathlib import Path

from kfp_templates._errors import ConsumerError, ContractError
from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._layout import ProjectLayout
from kfp_templates._records import record
from kfp_templates._rules import cfg as rules
from kfp_templates._rules import con as contract_rules
from kfp_templates._rules._model import Rule
from kfp_templates._yamlio import MAX_BYTES, LoadedYaml, YamlLoadError, leaves, load_yaml
from kfp_templates.contract import Contract, bundled_documents, bundled_registry, is_valid
from kfp_templates.validators._config_secrets import credential_findings
from kfp_templates.validators.links import link_finding

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

_SHOWN_IN_ERRORS = 3

_YAML_RULES: dict[str, tuple[Rule, str]] = {
    "syntax": (rules.CONFIG_SYNTAX, "fix the YAML at this line (indentation, quotes, brackets)"),
    "multi-document": (
        rules.CONFIG_SYNTAX,
        "keep one document: merge what follows `---` into it",
    ),
    "duplicate-key": (rules.CONFIG_DUPLICATE_KEY, "keep one of the two entries and merge them"),
    "bomb": (rules.CONFIG_ALIAS_BOMB, "write the values out instead of nesting aliases"),
    "recursive-alias": (rules.CONFIG_RECURSIVE_ALIAS, "point the alias at another anchor"),
    "too-deep": (rules.CONFIG_TOO_DEEP, "flatten the nested structure"),
    "too-large": (rules.CONFIG_TOO_LARGE, "keep data out of the config; refer to it by path"),
    "bad-tag": (rules.CONFIG_BAD_TAG, "remove the `!tag` and write a plain YAML value"),
    "bad-key": (rules.CONFIG_NON_STRING_KEY, "quote the key so that YAML reads it as text"),
}


@record
class LoadedConfig:
    """The config as commands use it, and what is wrong with it.

    Attributes:
        data: The config with the producer's defaults applied; `{}` when it could not be read.
        findings: `CFG` findings (and `CON` ones when the contract's schema cannot be applied).
    """

    data: dict[str, Any]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that make the config unusable (warnings left out)."""
        return tuple(finding for finding in self.findings if finding.is_error)


def check_config(layout: ProjectLayout, contract: Contract) -> Iterator[Finding]:
    """Every finding about the project's config file, for `validate`."""
    yield from load_config(layout, contract).findings


def load_config(layout: ProjectLayout, contract: Contract) -> LoadedConfig:
    """Read `contract.config_path` under the project root, validate it and fill in defaults."""
    path = layout.root / contract.config_path
    display = layout.display(path)
    link = link_finding(path, layout.root, layout.root) if path.is_symlink() else None
    if link is not None:
        return LoadedConfig({}, (link,))
    text_or_finding = _read_text(path, display)
    if isinstance(text_or_finding, Finding):
        return LoadedConfig({}, (text_or_finding,))
    try:
        loaded = load_yaml(text_or_finding)
    except YamlLoadError as error:
        return LoadedConfig({}, (_yaml_finding(error, display),))
    return _check_document(loaded, layout, contract, display)


def require_valid_config(layout: ProjectLayout, contract: Contract) -> dict[str, Any]:
    """The config with defaults applied, for commands that cannot go on with a broken one.

    Raises:
        ConsumerError: when the config has errors; the message lists the first few.
        ContractError: when the contract's config schema itself cannot be applied.
    """
    loaded = load_config(layout, contract)
    errors = loaded.errors
    if not errors:
        return loaded.data
    shown = "; ".join(
        f"{finding.location.render()}: {finding.rule.id} {finding.message}"
        for finding in errors[:_SHOWN_IN_ERRORS]
    )
    more = f" and {len(errors) - _SHOWN_IN_ERRORS} more" if len(errors) > _SHOWN_IN_ERRORS else ""
    message = f"the config is not valid: {shown}{more}; run `kfp-templates validate` for details"
    error_type = ContractError if any(f.is_producer_problem for f in errors) else ConsumerError
    raise error_type(message, hint=errors[0].fix, location=errors[0].location.path)


def _read_text(path: Path, display: str) -> str | Finding:
    """The file's text, or the finding that says why it cannot be had."""
    if not path.exists():
        return _finding(
            rules.CONFIG_MISSING,
            f"no config file at {display}",
            Location(display),
            f"create {display}; `{{}}` alone takes every default",
        )
    if not path.is_file():
        return _finding(
            rules.CONFIG_UNREADABLE,
            f"{display} is not a regular file",
            Location(display),
            f"replace {display} with a YAML file",
        )
    try:
        if path.stat().st_size > MAX_BYTES:
            return _finding(
                rules.CONFIG_TOO_LARGE,
                f"{display} is larger than {MAX_BYTES} bytes",
                Location(display),
                _YAML_RULES["too-large"][1],
            )
        raw = path.read_bytes()
    except OSError as error:
        return _finding(
            rules.CONFIG_UNREADABLE,
            f"cannot read {display}: {error.strerror}",
            Location(display),
            "check the file's permissions",
        )
    return _decode(raw, display)


def _decode(raw: bytes, display: str) -> str | Finding:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return _finding(
            rules.CONFIG_NOT_UTF8,
            f"byte {raw[error.start]:#04x} is not UTF-8 text",
            Location(display, line, column),
            "re-save the file as UTF-8",
        )


def _yaml_finding(error: YamlLoadError, display: str) -> Finding:
    rule, fix = _YAML_RULES.get(error.kind, _YAML_RULES["syntax"])
    line, column = (error.mark.line, error.mark.column) if error.mark else (None, None)
    return _finding(rule, error.message, Location(display, line, column), fix)


def _check_document(
    loaded: LoadedYaml, layout: ProjectLayout, contract: Contract, display: str
) -> LoadedConfig:
    """Findings and defaulted data for a parsed document: empty and non-mapping ones first."""
    findings: list[Finding] = []
    data = loaded.data
    if data is None:
        findings.append(_empty_finding(display))
        data = {}
    if not isinstance(data, dict):
        return LoadedConfig({}, (_not_mapping_finding(loaded, display),))
    filled, schema_errors = _validate(data, loaded, layout, contract, display)
    secrets = list(credential_findings(loaded, display))
    nans = list(_nan_findings(data, loaded, display))
    return LoadedConfig(filled, tuple(_unique([*findings, *secrets, *nans, *schema_errors])))


def _nan_findings(data: Any, loaded: LoadedYaml, display: str) -> Iterator[Finding]:
    """`.nan` passes every JSON Schema bound (each comparison with NaN is false): refuse it."""
    for path, value in leaves(data):
        if isinstance(value, float) and math.isnan(value):
            mark = loaded.mark_for(path)
            yield _finding(
                rules.CONFIG_INVALID_VALUE,
                f"{'.'.join(str(part) for part in path)} is .nan, which no range can check",
                Location(display, mark.line, mark.column) if mark else Location(display),
                "write a number (or leave the key out to take its default)",
            )


def _empty_finding(display: str) -> Finding:
    return _finding(
        rules.CONFIG_EMPTY,
        f"{display} is empty: every setting takes its default",
        Location(display),
        "write `{}` to say so, or add the settings you need",
    )


def _not_mapping_finding(loaded: LoadedYaml, display: str) -> Finding:
    mark = loaded.mark_for(())
    where = Location(display, mark.line, mark.column) if mark else Location(display)
    data = loaded.data
    kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
    return _finding(
        rules.CONFIG_NOT_MAPPING,
        f"the config is {kind}, not a mapping of keys to values",
        where,
        "write `key: value` lines at the top level",
    )


def _validate(
    data: dict[str, Any],
    loaded: LoadedYaml,
    layout: ProjectLayout,
    contract: Contract,
    display: str,
) -> tuple[dict[str, Any], list[Finding]]:
    """Validate a copy of `data`, filling defaults in as the validator goes.

    The fast check fills and decides a valid config; jsonschema's defaulting validator (and its
    import) runs, on a fresh copy, only when the fast check is not sure or finds a fault.
    """
    schema = contract.config_schema
    filled = copy.deepcopy(data)
    if is_valid(schema, filled, schema, documents=bundled_documents(), fill=True):
        return filled, []
    from referencing.exceptions import Unresolvable  # noqa: PLC0415 - only to explain

    from kfp_templates.validators._config_defaults import defaulting_validator  # noqa: PLC0415
    from kfp_templates.validators._config_errors import schema_findings  # noqa: PLC0415

    filled = copy.deepcopy(data)
    validator = defaulting_validator(schema, bundled_registry())
    try:
        errors = list(validator.iter_errors(filled))
    except (RecursionError, Unresolvable) as error:
        return filled, [_broken_schema(layout, error)]
    return filled, list(schema_findings(errors, loaded, display))


def _broken_schema(layout: ProjectLayout, error: Exception) -> Finding:
    """The contract loader missed a `$ref` loop or dangling `$ref`; it is the producer's bug."""
    why = (
        "$refs refer to each other in a loop"
        if isinstance(error, RecursionError)
        else (f"a $ref cannot be resolved ({error})")
    )
    where = Location(layout.display(layout.contract_path))
    return Finding(
        contract_rules.CONTRACT_BAD_REF,
        f"config schema: {why}",
        where,
        "tell the template's producer: the contract's config schema is broken",
    )


def _finding(rule: Rule, message: str, location: Location, fix: str) -> Finding:
    severity = Severity.WARNING if rule.warning else Severity.ERROR
    return Finding(rule, message, location, fix, severity)


def _unique(findings: list[Finding]) -> list[Finding]:
    """Findings without repeats: one missing key reported by two errors is one finding."""
    return list(dict.fromkeys(findings))
