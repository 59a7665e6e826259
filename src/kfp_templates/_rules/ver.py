"""Rules about template versions, contract changes and release readiness (`VER`).

- `VER1xx`: the contract's version number against the latest release tag.
- `VER2xx`: a breaking contract change (consumers must change code or config).
- `VER3xx`: a compatible contract change (reported by `upgrade-check`, never a failure).
- `VER4xx`: producer checks of the template repository (`producer check`, `release`).
"""

from kfp_templates._rules._model import Family, Rule

_P = Family.PRODUCER

BREAKING_WITHOUT_MAJOR = Rule(
    "VER100",
    "breaking change without a major version bump",
    _P,
    "The contract changed in a way that breaks consumers' code or config, but its `version` did "
    "not get a major bump (for 0.x versions, a minor bump counts as major). Bump the version, or "
    "make the change compatible (give a new parameter an allowed default, a new config key a "
    "default).",
)
VERSION_NOT_BUMPED = Rule(
    "VER101",
    "contract changed but its version did not",
    _P,
    "The contract differs from the one in the latest release tag but carries the same `version`. "
    "Bump the patch or minor version for compatible changes, the major version for breaking ones.",
)
VERSION_DECREASED = Rule(
    "VER102",
    "contract version went backwards",
    _P,
    "The contract's `version` is lower than in the latest release tag. Versions only go up.",
)
RELEASED_CONTRACT_UNREADABLE = Rule(
    "VER103",
    "contract at the release tag cannot be read",
    _P,
    "The contract in the latest release tag could not be loaded, so changes since then cannot be "
    "classified. Check the tag with `git show TAG:producer_templates/NAME/contract.yaml`.",
    warning=True,
)

NEW_FUNCTION = Rule(
    "VER200",
    "new required function",
    _P,
    "The new contract requires a function the old one did not: consumers must write it.",
)
NEW_MODULE = Rule(
    "VER201",
    "new required module",
    _P,
    "The new contract requires a module under user/ the old one did not: consumers must create it.",
)
NEW_PARAMETER = Rule(
    "VER202",
    "new required parameter",
    _P,
    "A function gained a parameter without an allowed default: consumers must add it.",
)
DEFAULT_TIGHTENED = Rule(
    "VER203",
    "parameter default rule tightened",
    _P,
    "A parameter that could have a default must not have one now (or must have one now): "
    "consumers must change the signature.",
)
ANNOTATION_CHANGED = Rule(
    "VER204",
    "parameter annotation changed",
    _P,
    "A parameter's type annotation changed: consumers must change the annotation and usually the "
    "code handling the value.",
)
RETURN_CHANGED = Rule(
    "VER205",
    "return annotation changed",
    _P,
    "A function's return annotation changed: consumers must return the new type.",
)
KIND_OR_ORDER_CHANGED = Rule(
    "VER206",
    "parameter kind or order changed",
    _P,
    "A parameter became keyword-only, positional-only or variadic, or the parameters were "
    "reordered: consumers must change the signature.",
)
PARAMETER_REMOVED = Rule(
    "VER207",
    "parameter no longer passed",
    _P,
    "A parameter consumers had to write without a default is gone from the contract, so the "
    "pipeline no longer passes it: consumers must remove it or give it a default.",
)
FUNCTION_RULES_TIGHTENED = Rule(
    "VER208",
    "function rules tightened",
    _P,
    "Extra parameters, async definitions or the component flag are no longer allowed as before.",
)
CONFIG_KEY_REMOVED = Rule(
    "VER210",
    "config key removed",
    _P,
    "A config key is gone; consumers' config.yaml files that set it fail validation. Remove it.",
)
CONFIG_KEY_REQUIRED = Rule(
    "VER211",
    "new required config key",
    _P,
    "A config key is now required and has no default: consumers must set it in config.yaml.",
)
CONFIG_TYPE_NARROWED = Rule(
    "VER212",
    "config value narrowed",
    _P,
    "A config key accepts fewer types or enum values than before: consumers' values may now fail.",
)
CONFIG_PATH_CHANGED = Rule(
    "VER213",
    "config file moved",
    _P,
    "The contract's `config.path` changed: consumers must rename their config file.",
)

FUNCTION_DROPPED = Rule(
    "VER300",
    "function no longer required",
    _P,
    "The function is no longer called by the pipeline; consumers may delete it.",
    warning=True,
)
OPTIONAL_PARAMETER = Rule(
    "VER301",
    "new optional parameter",
    _P,
    "A function gained a parameter with an allowed default; existing code keeps working.",
    warning=True,
)
RULES_RELAXED = Rule(
    "VER302",
    "signature rules relaxed",
    _P,
    "A default, annotation or function rule became more permissive; existing code keeps working.",
    warning=True,
)
OPTIONAL_CONFIG_KEY = Rule(
    "VER303",
    "new optional config key",
    _P,
    "The config gained a key that has a default or is optional; existing config keeps working.",
    warning=True,
)
DOC_CHANGED = Rule(
    "VER304",
    "documentation or metadata changed",
    _P,
    "Docstrings, descriptions, examples, defaults or other metadata changed; no code change "
    "needed.",
    warning=True,
)

TEMPLATE_CHOICES = Rule(
    "VER400",
    "copier.yml choices do not match the templates",
    _P,
    "The `template` question of copier.yml must offer exactly the directories under "
    "producer_templates/ that hold a contract. Add or remove the choice.",
)
TEMPLATE_SYMLINK = Rule(
    "VER401",
    "conditional symlink missing in template/",
    _P,
    "Each template needs `template/{% if template == 'NAME' %}template_pipeline{% endif %}`, a "
    "symlink to `../producer_templates/NAME`, so copier vendors it into consumer projects.",
)
REFERENCE_FAILS = Rule(
    "VER402",
    "reference implementation fails its own contract",
    _P,
    "The template's reference/ code or config does not pass `validate`; fix the reference or the "
    "contract.",
)
STUBS_DRIFT = Rule(
    "VER403",
    "stubs out of sync with the contract",
    _P,
    "stubs/user/ no longer matches the contract. Regenerate with `kfp-templates stubs`.",
)
COMPILE_FAILS = Rule(
    "VER404",
    "pipeline does not compile",
    _P,
    "Compiling the template's pipeline with its reference config failed; see the message.",
)
LOCAL_RUN_FAILS = Rule(
    "VER405",
    "reference run on kfp.local fails",
    _P,
    "Running the template's pipeline on kfp.local with its reference code failed; see the failing "
    "step's message.",
)
CHANGELOG_ENTRY_MISSING = Rule(
    "VER406",
    "changelog entry missing",
    _P,
    "A template that changed since the latest release needs a `## VERSION` heading in its "
    "CHANGELOG.md before `release` tags VERSION.",
)
CHECK_UNAVAILABLE = Rule(
    "VER407",
    "a producer check could not run",
    _P,
    "A check needs a part of kfp-templates that is missing in this installation (for example the "
    "kfp extra). Install `kfp-templates[all]` to run every check.",
    warning=True,
)
