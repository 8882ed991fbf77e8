"""Plain values in and out of the ledger's YAML, each check naming the field's path (private to :mod:`.yaml_io`).

Writers turn model values into YAML-safe plain data (dates as ISO text,
whole floats as ints, attrs values as dicts without defaults); readers check
a value's type and raise :class:`FieldError` with its path from the document
root, which :mod:`.yaml_io` turns into ``file:line: path: expected …; got …``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from ..models import Deadline, Target, iso_date


class FieldError(ValueError):
    """A check failed at ``path`` (keys and indexes from the document root)."""

    def __init__(self, path: Sequence[str | int], message: str) -> None:
        super().__init__(message)
        self.path = tuple(path)
        self.message = message


def dotted(path: Sequence[str | int]) -> str:
    """``("commitments", 3, "id")`` → ``commitments[3].id``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


# ---------------------------------------------------------------- plain values


def _date_out(value: dt.date | None) -> str | None:
    return iso_date(value)


def _number_out(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# per (class, keep): (field name, whether a default value is left out, that default)
_PLANS: dict[tuple[type, tuple[str, ...]], tuple[tuple[str, bool, Any], ...]] = {}


def _plan(cls: type, keep: tuple[str, ...]) -> tuple[tuple[str, bool, Any], ...]:
    plan = []
    for f in attrs.fields(cls):
        if f.name in keep or f.default is attrs.NOTHING:
            plan.append((f.name, False, None))
        else:
            default = f.default.factory() if isinstance(f.default, attrs.Factory) else f.default  # type: ignore[misc]
            plan.append((f.name, True, default))
    _PLANS[(cls, keep)] = result = tuple(plan)
    return result


def _attrs_out(obj: Any, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """An attrs value as a plain dict in field order; default values left out unless in ``keep``."""
    out: dict[str, Any] = {}
    plan = _PLANS.get((type(obj), keep)) or _plan(type(obj), keep)
    for name, drop_default, default in plan:
        value = getattr(obj, name)
        if drop_default and value == default:
            continue
        kind = type(value)
        out[name] = value if kind is str or kind is int or value is None else _value_out(value)
    return out


def _value_out(value: Any) -> Any:
    if isinstance(value, dt.date):
        return iso_date(value)
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return _number_out(value)
    if isinstance(value, tuple):
        return [_value_out(v) for v in value]
    if attrs.has(type(value)):
        return _attrs_out(value)
    return value


def _expect(value: Any, types: type | tuple[type, ...], path: Sequence[str | int], expected: str) -> Any:
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise FieldError(path, f"expected {expected}; got {value!r}")
    if not isinstance(value, types):
        raise FieldError(path, f"expected {expected}; got {value!r}")
    return value


def _date_in(value: Any, path: Sequence[str | int]) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FieldError(path, f"expected a date YYYY-MM-DD (quoted) or null; got {value!r}")


def _str_in(value: Any, path: Sequence[str | int], optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a hand-typed 2023 or 1.10: keep it as the text it was meant to be
    return _expect(value, str, path, "text")  # type: ignore[no-any-return]


def _strs_in(value: Any, path: Sequence[str | int]) -> tuple[str, ...]:
    if value is None:
        return ()
    _expect(value, list, path, "a list of text values")
    return tuple(_str_in(v, (*path, i), optional=False) for i, v in enumerate(value))  # type: ignore[misc]


def _int_in(value: Any, path: Sequence[str | int]) -> int:
    return _expect(value, int, path, "an integer")  # type: ignore[no-any-return]


def _float_in(value: Any, path: Sequence[str | int]) -> float:
    return float(_expect(value, (int, float), path, "a number"))


_SCALARS: dict[str, Callable[[Any, Sequence[str | int]], Any]] = {
    "str": lambda v, p: _str_in(v, p, optional=False),
    "str | None": _str_in,
    "int": _int_in,
    "int | None": lambda v, p: None if v is None else _int_in(v, p),
    "float": _float_in,
    "float | None": lambda v, p: None if v is None else _float_in(v, p),
    "bool": lambda v, p: _expect(v, bool, p, "true or false"),
    "_dt.date | None": _date_in,
    "tuple[str, ...]": _strs_in,
}


def _attrs_in(cls: type, data: Any, path: Sequence[str | int], skip: Iterable[str] = ()) -> Any:
    """Build attrs class ``cls`` from a plain mapping, checking every field's type."""
    _expect(data, dict, path, f"a mapping of {cls.__name__.lower()} fields")
    fields = {f.name: f for f in attrs.fields(cls)}
    skip = set(skip)
    unknown = [k for k in data if k not in fields and k not in skip]
    if unknown:
        raise FieldError((*path, str(unknown[0])), f"unknown field; expected one of {', '.join(fields)}")
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in data:
            if f.default is attrs.NOTHING:
                raise FieldError(path, f"missing field {name!r}")
            continue
        kwargs[name] = _field_in(f, data[name], (*path, name))
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        name, sep, rest = str(exc).partition(": ")
        if sep and name in fields:  # the model's validators say "field: expected …; got …"
            raise FieldError((*path, name), rest) from exc
        raise FieldError(path, str(exc)) from exc


def _field_in(f: attrs.Attribute[Any], value: Any, path: Sequence[str | int]) -> Any:
    kind = str(f.type)
    if kind in _SCALARS:
        return _SCALARS[kind](value, path)
    nested = {"tuple[Target, ...]": Target, "tuple[Deadline, ...]": Deadline}.get(kind)
    if nested is not None:
        if value is None:
            return ()
        _expect(value, list, path, f"a list of {nested.__name__.lower()}s")
        return tuple(_attrs_in(nested, v, (*path, i)) for i, v in enumerate(value))
    return value  # a field this version does not know how to check: kept as written
