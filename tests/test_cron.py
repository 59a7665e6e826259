"""Cron checks for `submit --schedule`, per engine (kfp_templates._cron)."""

from __future__ import annotations

import pytest

from kfp_templates import _cron
from kfp_templates._errors import UsageError

VERTEX = {
    "0 3 * * 1": "0 3 * * 1",
    "  */5   * * * * ": "*/5 * * * *",
    "TZ=Europe/Amsterdam 0 3 * * 1": "TZ=Europe/Amsterdam 0 3 * * 1",
    "CRON_TZ=America/New_York 30 2 * * MON-FRI": "CRON_TZ=America/New_York 30 2 * * MON-FRI",
    "0 0 1 JAN *": "0 0 1 JAN *",
}
VERTEX_BAD = {
    "61 25 * * *": "out of range",
    "0 24 * * *": "out of range",
    "0 3 * * 8": "out of range",
    "0 3 30 2 *": "never runs",
    "0 3 * *": "five-field",
    "0 0 3 * * 1": "five-field",
    "": "five-field",
    "TZ=Mars/Olympus 0 3 * * 1": "unknown time zone",
    "TZ=../../etc/passwd 0 3 * * 1": "unknown time zone",
    "TZ=Europe/Amsterdam": "five-field",
}
KFP = {
    "30 2 * * 1-5": "0 30 2 * * 1-5",
    "0 0 9 ? * 2-6": "0 0 9 ? * 2-6",
    "15 */10 * * * *": "15 */10 * * * *",
}
KFP_BAD = {
    "61 25 * * *": "out of range",
    "60 0 3 * * *": "out of range",
    "0 3 * *": "five- or six-field",
    "0 0 0 3 * * 1": "five- or six-field",
    "TZ=Europe/Amsterdam 0 3 * * *": "do not take a time zone",
}


@pytest.mark.parametrize(("cron", "checked"), VERTEX.items(), ids=list(VERTEX))
def test_vertex_accepts(cron: str, checked: str) -> None:
    assert _cron.vertex_cron(cron) == checked
    assert _cron.for_engine(cron, "vertex") == checked


@pytest.mark.parametrize(("cron", "says"), VERTEX_BAD.items(), ids=list(VERTEX_BAD))
def test_vertex_refuses(cron: str, says: str) -> None:
    with pytest.raises(UsageError, match=says) as raised:
        _cron.vertex_cron(cron)
    assert raised.value.hint


@pytest.mark.parametrize(("cron", "checked"), KFP.items(), ids=list(KFP))
def test_kfp_six_fields_seconds_first(cron: str, checked: str) -> None:
    assert _cron.kfp_cron(cron) == checked
    assert _cron.for_engine(cron, "kfp") == checked


@pytest.mark.parametrize(("cron", "says"), KFP_BAD.items(), ids=list(KFP_BAD))
def test_kfp_refuses(cron: str, says: str) -> None:
    with pytest.raises(UsageError, match=says):
        _cron.kfp_cron(cron)
