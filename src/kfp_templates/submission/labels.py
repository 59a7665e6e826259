"""Labels that tie a run to the template, contract version and consumer code it ran.

Google Cloud labels allow lowercase letters, digits, `_` and `-`, at most 63 characters, keys
starting with a letter, and 64 labels per resource. Versions (`1.2.0`) and template names
(`Tabular_Train`) are sanitised rather than rejected, so a run is always labelled.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

MAX_LENGTH = 63
MAX_LABELS = 64
TEMPLATE_KEY = "kfp-template"
CONTRACT_VERSION_KEY = "kfp-template-version"
USER_CODE_KEY = "kfp-user-code"

_INVALID = re.compile(r"[^a-z0-9_-]+")


def sanitise_value(value: str) -> str:
    """`value` made a valid label value: lowercased, other characters replaced by `-`."""
    return _INVALID.sub("-", value.lower())[:MAX_LENGTH].strip("-")


def sanitise_key(key: str) -> str:
    """`key` made a valid label key, which must also start with a letter."""
    value = sanitise_value(key)
    if not value or not value[0].isalpha():
        value = ("k-" + value)[:MAX_LENGTH]
    return value


def user_code_hash(user_dir: Path) -> str:
    """A short, stable digest of every `.py` file under `user_dir` (paths and contents).

    The hash identifies the consumer code a run used without shipping or naming any of it.
    """
    digest = hashlib.sha256()
    if user_dir.is_dir():
        for path in sorted(user_dir.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(user_dir).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


def run_labels(
    template: str, contract_version: str, code_hash: str, extra: Mapping[str, str]
) -> dict[str, str]:
    """The consumer's labels from config plus ours; ours win so runs stay traceable."""
    labels = {sanitise_key(key): sanitise_value(str(value)) for key, value in extra.items()}
    labels[TEMPLATE_KEY] = sanitise_value(template)
    labels[CONTRACT_VERSION_KEY] = sanitise_value(contract_version)
    labels[USER_CODE_KEY] = sanitise_value(code_hash)
    return dict(list(labels.items())[-MAX_LABELS:])
