"""`record` behaves as `dataclasses.dataclass` does wherever the package relies on it: the same
records written both ways give the same `__init__`, repr, ==, hash, order, replace and asdict."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys

import pytest

from kfp_templates import _records
from kfp_templates._records import FrozenInstanceError, asdict, field, record, replace


def _both(frozen: bool = True, order: bool = False) -> tuple[type, type]:
    """A record and the dataclass it stands for: inheritance, defaults, a factory, compare=False."""

    def body(make: object, field_of: object) -> type:
        @make  # type: ignore[misc,operator]
        class Base:
            name: str
            rank: int = 0

        @make  # type: ignore[misc,operator]
        class Item(Base):
            tags: list[str] = field_of(default_factory=list)  # type: ignore[operator]
            note: str = field_of(default="", compare=False)  # type: ignore[operator]

        return Item

    as_record = body(record(frozen=frozen, order=order), field)
    as_dataclass = body(dataclasses.dataclass(frozen=frozen, order=order), dataclasses.field)
    return as_record, as_dataclass


@pytest.mark.parametrize("frozen", [True, False])
def test_init_repr_and_equality_match_dataclasses(frozen: bool) -> None:
    made, reference = _both(frozen=frozen)
    for args, kwargs in [(("a",), {}), (("a", 2, ["x"]), {"note": "n"}), ((), {"name": "b"})]:
        ours, theirs = made(*args, **kwargs), reference(*args, **kwargs)
        assert repr(ours) == repr(theirs)
        assert ours.__match_args__ == theirs.__match_args__
        assert (ours == made(*args, **kwargs)) is (theirs == reference(*args, **kwargs))
    assert made("a", note="x") == made("a", note="y")  # compare=False
    assert made("a") != made("b") and made("a").__eq__(object()) is NotImplemented
    assert made("a").tags is not made("a").tags  # a fresh default each time


def test_frozen_records_hash_like_dataclasses_and_refuse_assignment() -> None:
    made, reference = _both()
    assert hash(made("a", 1, ("t",))) == hash(reference("a", 1, ("t",)))
    with pytest.raises(FrozenInstanceError):
        made("a").name = "b"
    with pytest.raises(AttributeError):  # what callers of dataclasses catch
        del made("a").rank


def test_mutable_records_are_unhashable_and_assignable() -> None:
    made, _ = _both(frozen=False)
    item = made("a")
    item.rank = 5
    assert item.rank == 5
    with pytest.raises(TypeError):
        hash(item)


def test_order_compares_the_compared_fields_in_order() -> None:
    made, reference = _both(order=True)
    pairs = [(("a", 1), ("a", 2)), (("b", 0), ("a", 9)), (("a", 1, ["x"]), ("a", 1, ["y"]))]
    for left, right in pairs:
        ours = [f(made(*left), made(*right)) for f in (_lt, _le, _gt, _ge)]
        theirs = [f(reference(*left), reference(*right)) for f in (_lt, _le, _gt, _ge)]
        assert ours == theirs


def _lt(a: object, b: object) -> bool:
    return a < b  # type: ignore[operator,no-any-return]


def _le(a: object, b: object) -> bool:
    return a <= b  # type: ignore[operator,no-any-return]


def _gt(a: object, b: object) -> bool:
    return a > b  # type: ignore[operator,no-any-return]


def _ge(a: object, b: object) -> bool:
    return a >= b  # type: ignore[operator,no-any-return]


def test_replace_asdict_and_pickle() -> None:
    made, reference = _both()
    item = made("a", 1, ["t"], note="n")
    assert replace(item, rank=3) == made("a", 3, ["t"])
    assert asdict(item) == dataclasses.asdict(reference("a", 1, ["t"], note="n"))
    nested = Nested(("a", 1), order=2)
    assert pickle.loads(pickle.dumps(nested)) == nested
    with pytest.raises(TypeError, match="no field 'rnak'"):
        replace(item, rnak=3)


@record
class Nested:
    """At module level, so that pickle finds it."""

    inner: object
    order: int = 0


def test_wrong_arguments_fail_as_dataclasses_do() -> None:
    made, reference = _both()
    for call in (lambda cls: cls(), lambda cls: cls("a", nope=1), lambda cls: cls(1, 2, 3, 4, 5)):
        with pytest.raises(TypeError):
            call(reference)
        with pytest.raises(TypeError):
            call(made)


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default field 'b' after a default"):

        @record
        class Broken:
            a: int = 0
            b: int


def test_a_mutable_default_is_refused_as_dataclasses_refuse_it() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @record
        class Shared:
            items: list[str] = []  # noqa: RUF012 - the mistake under test


def test_records_are_made_without_importing_dataclasses() -> None:
    script = (
        "import sys\nfrom kfp_templates._records import record\n"
        "@record\nclass A:\n    x: int\nassert A(1) == A(1)\n"
        "print(sorted({'dataclasses', 'inspect'} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
    assert _records.__doc__ and "Decision 62" in _records.__doc__
