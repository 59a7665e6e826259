"""Check a `--schedule` cron expression for the engine it goes to, before any request is made.

Vertex AI takes a five-field unix cron, optionally prefixed by `TZ=ZONE` or `CRON_TZ=ZONE`; the
KFP engine (robfig/cron with seconds) takes six fields, seconds first, and no time zone. Field
values are checked by croniter (a maintained cron parser) in strict mode, so `61 25 * * *` or a
day that never comes (`0 3 30 2 *`) is a usage error here and not a 400 after a round trip.
"""

from __future__ import annotations

import zoneinfo

from croniter import croniter

from kfp_templates._errors import UsageError

_ZONE_PREFIXES = ("TZ=", "CRON_TZ=")
_VERTEX_HINT = (
    'write MINUTE HOUR DAY MONTH WEEKDAY, such as "0 3 * * 1" (optionally prefixed by '
    '"TZ=Europe/Amsterdam")'
)
_KFP_HINT = (
    'write MINUTE HOUR DAY MONTH WEEKDAY, such as "0 3 * * 1", or the six-field form with '
    'seconds first, such as "0 0 3 * * 1"'
)


def vertex_cron(text: str) -> str:
    """`text` with single spaces, checked as Vertex AI's cron: five fields after a zone prefix.

    Raises:
        UsageError: for a wrong field count, a bad field value or an unknown time zone.
    """
    fields = text.split()
    if fields and fields[0].startswith(_ZONE_PREFIXES):
        _check_zone(text, fields[0].split("=", 1)[1])
        fields = fields[1:]
    if len(fields) != 5:
        raise UsageError(f"--schedule {text!r} is not a five-field cron", hint=_VERTEX_HINT)
    _check_fields(text, fields, seconds_first=False, hint=_VERTEX_HINT)
    return " ".join(text.split())


def kfp_cron(text: str) -> str:
    """`text` as the six-field cron (seconds first) the KFP scheduler expects, checked.

    A five-field cron runs at second 0 of each matching minute.

    Raises:
        UsageError: for a time-zone prefix (KFP recurring runs take none), a wrong field count or
            a bad field value.
    """
    fields = text.split()
    if fields and "=" in fields[0]:
        raise UsageError(
            f"KFP recurring runs do not take a time zone: {text!r}",
            hint="drop the TZ= prefix and write the cron in the server's time zone",
        )
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise UsageError(f"--schedule {text!r} is not a five- or six-field cron", hint=_KFP_HINT)
    _check_fields(text, fields, seconds_first=True, hint=_KFP_HINT)
    return " ".join(fields)


def for_engine(text: str, engine: str) -> str:
    """The checked cron for `engine` ("vertex" or "kfp")."""
    return kfp_cron(text) if engine == "kfp" else vertex_cron(text)


def _check_fields(text: str, fields: list[str], *, seconds_first: bool, hint: str) -> None:
    expression = " ".join(fields)
    if not croniter.is_valid(expression, second_at_beginning=seconds_first, strict=True):
        raise UsageError(f"--schedule {text!r} has a value out of range or never runs", hint=hint)


def _check_zone(text: str, zone: str) -> None:
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"--schedule {text!r} names an unknown time zone {zone!r}",
            hint="use an IANA time zone name, such as TZ=Europe/Amsterdam or TZ=America/New_York",
        ) from None
