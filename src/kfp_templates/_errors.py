"""Exceptions and the exit codes they map to.

Two families sit under one base, like jsonschema's SchemaError vs ValidationError: the producer's
template or contract is broken (`ContractError`), or the consumer's input is (`ConsumerError`).
Exit codes are documented once, in docs/cli.md, and derived here only.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of every command."""

    OK = 0
    FINDINGS = 1
    BAD_INPUT = 2
    INTERNAL = 3
    INTERRUPTED = 130


class KfpTemplatesError(Exception):
    """Base of every error the tool reports without a traceback.

    Attributes:
        message: What went wrong, one sentence.
        hint: What to do about it.
        location: Where (a path, maybe with `:line:column`), or "" when nowhere in particular.
    """

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, hint: str = "", location: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location

    def render(self) -> str:
        """One or two lines for a terminal: `location: error: message` then the hint."""
        head = f"{self.location}: " if self.location else ""
        text = f"{head}error: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class UsageError(KfpTemplatesError):
    """The command line or the project layout is not something the tool can work on."""


class ContractError(KfpTemplatesError):
    """The producer's template or contract is broken; the consumer cannot fix it."""


class ConsumerError(KfpTemplatesError):
    """The consumer's code, config or environment stops a command (build, run, submit)."""

    exit_code = ExitCode.FINDINGS


class ExternalServiceError(KfpTemplatesError):
    """A registry, Vertex AI, a KFP server or a builder answered with an error."""

    exit_code = ExitCode.FINDINGS


class InternalError(KfpTemplatesError):
    """A bug in kfp-templates itself."""

    exit_code = ExitCode.INTERNAL
