"""Rules about the consumer's `config.yaml` (`CFG`)."""

from kfp_templates._rules._model import Family, Rule

_C = Family.CONSUMER

CONFIG_MISSING = Rule(
    "CFG100",
    "config file missing",
    _C,
    "The contract names a config file (usually `config.yaml` next to `user/`) and there is none. "
    "Create it; `{}` alone is enough when the template's defaults suit you.",
)
CONFIG_UNREADABLE = Rule(
    "CFG101",
    "config file cannot be read",
    _C,
    "The config path exists but is not a readable file (a directory, or no permission). Make it "
    "a regular file the current user can read.",
)
CONFIG_NOT_UTF8 = Rule(
    "CFG102",
    "config file is not UTF-8",
    _C,
    "YAML files must be UTF-8 text. Re-save the file as UTF-8 (most editors have an encoding "
    "menu) and check for pasted binary data.",
)
CONFIG_SYNTAX = Rule(
    "CFG103",
    "config file is not valid YAML",
    _C,
    "The YAML parser stopped at the reported line. Usual causes: inconsistent indentation, a tab "
    "used for indentation, an unclosed quote or bracket, or `key:value` without a space.",
)
CONFIG_DUPLICATE_KEY = Rule(
    "CFG104",
    "duplicate key in config",
    _C,
    "A mapping names the same key twice; YAML loaders silently keep only one of them. Merge the "
    "two entries into one.",
)
CONFIG_ALIAS_BOMB = Rule(
    "CFG105",
    "config expands to too many values",
    _C,
    "Anchors and aliases (`&a`/`*a`) expand to more values than any real config needs (a "
    "'billion laughs' document). Write the values out, or reuse fewer levels of aliases.",
)
CONFIG_RECURSIVE_ALIAS = Rule(
    "CFG106",
    "alias refers to itself",
    _C,
    "An alias (`*a`) is used inside the node its anchor (`&a`) marks, which would make an "
    "endless structure. Point the alias at a different anchor.",
)
CONFIG_TOO_DEEP = Rule(
    "CFG107",
    "config nested too deeply",
    _C,
    "The config nests mappings or lists deeper than the loader allows. Flatten the structure; "
    "no template config needs that depth.",
)
CONFIG_TOO_LARGE = Rule(
    "CFG108",
    "config file too large",
    _C,
    "The config file is larger than the loader accepts. Keep data out of the config: point to it "
    "with a path or URI instead.",
)
CONFIG_BAD_TAG = Rule(
    "CFG109",
    "unsupported YAML tag in config",
    _C,
    "Only plain YAML is accepted: tags such as `!!python/object` or custom `!tags` are refused so "
    "that loading a config can never run code. Remove the tag and write the plain value.",
)
CONFIG_NON_STRING_KEY = Rule(
    "CFG110",
    "config key is not text",
    _C,
    "Every mapping key must be text. YAML reads unquoted `1`, `true`, `no`, `null` or `2024-01-01` "
    "as numbers, booleans, nulls or dates: quote such keys, and do not use lists or mappings as "
    "keys.",
)
CONFIG_NOT_MAPPING = Rule(
    "CFG111",
    "config is not a mapping",
    _C,
    "The top level of the config file must be a mapping of `key: value` lines, not a list or a "
    "single value.",
)
CONFIG_EMPTY = Rule(
    "CFG112",
    "config file is empty",
    _C,
    "The config file holds no document, so every setting takes the template's default. Write "
    "`{}` to say that on purpose, or fill in the settings you need.",
    warning=True,
)
CONFIG_UNKNOWN_KEY = Rule(
    "CFG113",
    "unknown config key",
    _C,
    "The config schema does not allow this key here: a typo, a key at the wrong indentation, or a "
    "setting the template no longer has. Rename or move it (the message suggests the nearest "
    "allowed key), or delete it.",
)
CONFIG_MISSING_KEY = Rule(
    "CFG114",
    "required config key missing",
    _C,
    "The config schema requires this key and the template gives it no default. Add it.",
)
CONFIG_WRONG_TYPE = Rule(
    "CFG115",
    "config value has the wrong type",
    _C,
    "The value is of the wrong type, for example a number where text is expected. YAML reads "
    "`2`, `1.5`, `yes`, `no` and `null` as numbers, booleans or null: quote them to make text.",
)
CONFIG_INVALID_VALUE = Rule(
    "CFG116",
    "config value not allowed",
    _C,
    "The value has the right type but is not allowed: it does not match a pattern, is out of "
    "range, is not one of the listed choices, or is too short or too long. Change it as the "
    "message says.",
)
CONFIG_BAD_KEY_NAME = Rule(
    "CFG117",
    "config key name not allowed",
    _C,
    "Keys of this mapping must follow a naming pattern (such as lower-case label keys or "
    "environment variable names). Rename the key.",
)
CONFIG_CREDENTIAL = Rule(
    "CFG118",
    "credential in config",
    _C,
    "config.yaml is committed, copied into images and printed by --dry-run, so it must never "
    "hold a credential: a private key, a service-account key file's contents, an API key, an "
    "OAuth token, or a password or secret under a key named like one. Remove it and let the "
    "platform supply credentials: Workload Identity or `gcloud auth application-default login` "
    "for GCP, a Kubernetes secret mounted with steps.NAME.secrets for the pipeline's steps.",
)
