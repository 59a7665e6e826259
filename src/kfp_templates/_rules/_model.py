"""The rule type: one stable id per kind of finding, documented in the error catalogue."""

from __future__ import annotations

from enum import Enum

from kfp_templates._records import record


class Family(str, Enum):
    """Who has to act on a finding: the template's producer or its consumer."""

    PRODUCER = "producer"
    CONSUMER = "consumer"


@record
class Rule:
    """A kind of finding.

    Attributes:
        id: Stable identifier such as `USR102`; never reused for another meaning.
        title: Short name, lower case, shown next to the id.
        family: Who fixes it.
        explanation: Why this matters and how to fix it, for the error catalogue.
        warning: Whether findings of this rule are warnings (do not fail `validate`).
    """

    id: str
    title: str
    family: Family
    explanation: str
    warning: bool = False
