"""Rules about the producer's contract (`CON`): the consumer cannot fix these."""

from kfp_templates._rules._model import Family, Rule

_P = Family.PRODUCER

CONTRACT_MISSING = Rule(
    "CON100",
    "contract file missing",
    _P,
    "The template has no contract file. Producers: add `contract.yaml` next to the pipeline; "
    "consumers: run `copier update` to restore `template_pipeline/`.",
)
CONTRACT_UNREADABLE = Rule(
    "CON101",
    "contract is not valid YAML or JSON",
    _P,
    "The contract could not be parsed. Fix the syntax at the reported line.",
)
CONTRACT_SCHEMA = Rule(
    "CON102",
    "contract does not match the contract meta-schema",
    _P,
    "A field of the contract has the wrong type or is missing. See docs/reference/contract.md.",
)
CONTRACT_TOOL_TOO_OLD = Rule(
    "CON103",
    "contract needs a newer kfp-templates",
    _P,
    "The contract's `min_tool_version` is newer than the installed tool. Upgrade kfp-templates "
    "(the consumer's pyproject pins it) before validating.",
)
CONTRACT_CONFIG_SCHEMA = Rule(
    "CON104",
    "config schema is not a valid JSON Schema",
    _P,
    "`config.schema` in the contract fails the draft 2020-12 meta-schema.",
)
CONTRACT_REMOTE_REF = Rule(
    "CON105",
    "remote $ref in a contract",
    _P,
    "Contracts may only `$ref` their own definitions or the tool's bundled `urn:kfp-templates:` "
    "schemas; remote references are never fetched.",
)
CONTRACT_DUPLICATE_FUNCTION = Rule(
    "CON106",
    "function required twice",
    _P,
    "Two entries of `functions` name the same module and function.",
)
CONTRACT_DUPLICATE_PARAMETER = Rule(
    "CON107",
    "parameter listed twice",
    _P,
    "A function in the contract lists the same parameter name twice.",
)
CONTRACT_BAD_ANNOTATION = Rule(
    "CON108",
    "annotation is not a Python expression",
    _P,
    "An `annotation` or `returns` in the contract does not parse as a Python type expression.",
)
CONTRACT_COMPONENT_TYPE = Rule(
    "CON120",
    "component function annotated with a type kfp refuses",
    _P,
    "A `component: true` function's annotations must be what kfp's `dsl.component` accepts "
    "(the same resolver checks the consumer's code, USR121), or no consumer could meet the "
    "contract. `returns: typing.Any` means any KFP output.",
)
CONTRACT_PARAMETER_ORDER = Rule(
    "CON109",
    "parameter kinds out of order",
    _P,
    "Parameters must be ordered positional-only, positional-or-keyword, *args, keyword-only, "
    "**kwargs, as Python requires.",
)
CONTRACT_BAD_REF = Rule(
    "CON110",
    "unresolvable $ref in a contract",
    _P,
    "A `$ref` in the contract points to nothing, or refers to itself in a loop.",
)
OPTIONAL_NOT_KEYWORD_ONLY = Rule(
    "CON111",
    "optional parameter is not keyword-only",
    _P,
    "An `optional: true` parameter may be missing from the consumer's function, so the template "
    "passes it by keyword only; declare it `kind: keyword_only`.",
)
CONTRACT_KEYWORD_NAME = Rule(
    "CON112",
    "contract name is a Python keyword",
    _P,
    "A module part (`user.class`), function name (`def`) or parameter name (`lambda`) is a Python "
    "keyword, so no consumer can write it: `def def(lambda)` does not parse and `import "
    "user.class` neither. Rename it.",
)
