"""Record classes, as `dataclasses` makes them, without compiling source for every method.

`@dataclass` runs `exec` on generated source for each method it adds: `__init__`, `__repr__`,
`__eq__`, `__hash__`, `__setattr__` and `__delattr__` for a frozen one. That is 0.7 ms a class on
the 2026-12-05 machine, 22 ms for the 30 records on validate's path, a fifth of a whole run; and
`import dataclasses` brings `inspect`, `dis`, `tokenize` and `copy`. `record` compiles only
`__init__`, whose speed matters (a 10,000-function contract makes 40,000 records); the other
methods are shared functions that read the class's field names. Decision 62 says which
behaviours of `dataclasses` are kept, and tests/test_records.py checks each against it.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any, TypeVar, dataclass_transform

    _T = TypeVar("_T")
else:

    def dataclass_transform(**_: object) -> Any:
        """What mypy reads as `typing.dataclass_transform`; at run time, nothing to do."""
        return lambda function: function


_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Assigning to or deleting a field of a frozen record."""


class Field:
    """A field's name and how `__init__` fills it when the caller leaves it out."""

    __slots__ = ("compare", "default", "default_factory", "name")

    def __init__(self, default: Any, default_factory: Any, compare: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare


def field(
    *, default: Any = _MISSING, default_factory: Callable[[], Any] = _MISSING, compare: bool = True
) -> Any:
    """A field with a default, a factory for its default, or left out of `==`, `<` and `hash`."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("a field takes a default or a default_factory, not both")
    return Field(default, default_factory, compare)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T] | None = None, /, *, frozen: bool = True, order: bool = False) -> Any:
    """Make `cls` a record: `__init__` from its annotations, repr, ==, and when frozen, hash."""

    def make(cls: type[_T]) -> type[_T]:
        return _build(cls, frozen=frozen, order=order)

    return make if cls is None else make(cls)


def fields(instance_or_class: object) -> tuple[Field, ...]:
    """The record's fields in `__init__` order, inherited ones first."""
    found: tuple[Field, ...] = getattr(instance_or_class, "__record_fields__")  # noqa: B009 - untyped
    return found


def asdict(instance: object) -> dict[str, Any]:
    """The record as plain data, records inside it too, as `dataclasses.asdict` gives it."""
    return {f.name: _plain(getattr(instance, f.name)) for f in fields(instance)}


def _plain(value: Any) -> Any:
    if hasattr(type(value), "__record_fields__"):
        return asdict(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value


def replace(instance: _T, /, **changes: Any) -> _T:
    """A copy of `instance` with `changes`, made through `__init__` as dataclasses' does."""
    values = {f.name: getattr(instance, f.name) for f in fields(instance)}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no field {sorted(unknown)[0]!r}")
    return type(instance)(**{**values, **changes})


def _build(cls: type[_T], *, frozen: bool, order: bool) -> type[_T]:
    own = [_own_field(cls, name) for name in _own_names(cls)]
    inherited = {f.name: f for base in reversed(cls.__mro__[1:]) for f in _fields_of(base)}
    all_fields = tuple({**inherited, **{f.name: f for f in own}}.values())
    compared = tuple(f.name for f in all_fields if f.compare)
    key = attrgetter(*compared) if len(compared) > 1 else _one_tuple(compared)
    cls.__record_fields__ = all_fields  # type: ignore[attr-defined]
    cls.__record_key__ = staticmethod(key)  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(f.name for f in all_fields)  # type: ignore[attr-defined,misc]
    methods: dict[str, Any] = {
        "__init__": _init(cls, all_fields, frozen=frozen),
        "__repr__": _repr,
        "__eq__": _eq,
    }
    if frozen:
        methods.update(__setattr__=_frozen_setattr, __delattr__=_frozen_delattr, __hash__=_hash)
    elif "__hash__" not in cls.__dict__:
        cls.__hash__ = None  # type: ignore[assignment]  # mutable and compared by value
    if order:
        methods.update(__lt__=_lt, __le__=_le, __gt__=_gt, __ge__=_ge)
    for name, method in methods.items():
        if name not in cls.__dict__ or (name == "__hash__" and cls.__dict__[name] is None):
            setattr(cls, name, method)
    return cls


def _own_names(cls: type) -> list[str]:
    """The class's own annotated names, in order; a ClassVar or InitVar is refused, not guessed."""
    # inspect.get_annotations would import inspect, which this module exists to avoid
    annotations: dict[str, object] = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    for name, annotation in annotations.items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar", "InitVar")):
            raise TypeError(f"{cls.__qualname__}.{name}: a record takes no ClassVar or InitVar")
    return list(annotations)


def _own_field(cls: type, name: str) -> Field:
    value = cls.__dict__.get(name, _MISSING)
    made = value if isinstance(value, Field) else Field(value, _MISSING, True)
    made.name = name
    if made.default is not _MISSING and type(made.default).__hash__ is None:
        raise ValueError(f"{cls.__qualname__}.{name}: a mutable default; use default_factory")
    if made.default is _MISSING:
        if name in cls.__dict__:
            delattr(cls, name)
    else:
        setattr(cls, name, made.default)
    return made


def _fields_of(base: type) -> tuple[Field, ...]:
    own: tuple[Field, ...] = base.__dict__.get("__record_fields__", ())
    return own


def _one_tuple(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda instance: ()
    (name,) = names
    return lambda instance: (getattr(instance, name),)


def _init(cls: type, all_fields: tuple[Field, ...], *, frozen: bool) -> Callable[..., None]:
    """`__init__` compiled from source, as `dataclasses` writes it: one assignment a field."""
    parameters, body, namespace = [], [], {"_setattr": object.__setattr__, "_FACTORY": _MISSING}
    seen_default = False
    for index, f in enumerate(all_fields):
        if f.default is _MISSING and f.default_factory is _MISSING:
            if seen_default:
                raise TypeError(f"{cls.__qualname__}: non-default field {f.name!r} after a default")
            parameters.append(f.name)
        elif f.default_factory is not _MISSING:
            namespace[f"_factory{index}"] = f.default_factory
            parameters.append(f"{f.name}=_FACTORY")
            body.append(f"    if {f.name} is _FACTORY: {f.name} = _factory{index}()")
        else:
            namespace[f"_default{index}"] = f.default
            parameters.append(f"{f.name}=_default{index}")
        seen_default = (
            seen_default or f.default is not _MISSING or f.default_factory is not _MISSING
        )
        assign = "_setattr(self, {0!r}, {0})" if frozen else "self.{0} = {0}"
        body.append("    " + assign.format(f.name))
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(body or ["    pass"])
    exec(source, namespace)  # source built above from field names only
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]  # NotImplemented is typed Any
    return bool(self.__record_key__(self) == other.__record_key__(other))


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, object], bool]:
    def method(self: Any, other: Any) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented  # type: ignore[no-any-return]  # NotImplemented is typed Any
        return compare(self.__record_key__(self), other.__record_key__(other))

    return method


_lt = _ordered(lambda a, b: a < b)
_le = _ordered(lambda a, b: a <= b)
_gt = _ordered(lambda a, b: a > b)
_ge = _ordered(lambda a, b: a >= b)
