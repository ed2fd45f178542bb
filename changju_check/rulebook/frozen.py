"""A validated rule set as plain JSON and back, for the compiled cache: data that is parsed, never
code that is run (the cache used to be a pickle, and whoever could write the cache folder could
run code in every changju process).

Each rule record is written as `{"$m": "ClassName", field: value, …}`; a mapping as
`{"$d": {…}}`. Reading builds the records again with pydantic's `model_construct` (no second
validation: the entry is keyed by the bytes of the rule files and of this code, and was written
only after the YAML had passed `load_rules`), but only after checking its shape: a class must be
one of the rule models (rules/model.py), a field one of its fields, and every value of the type
the field declares (containers, records, literals, unions; at any depth). Anything else raises
`BadEntry`, which the cache treats as a miss.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

FORMAT = 2
_PRIMITIVES = (str, int, float, bool, type(None))


class BadEntry(ValueError):
    """A cache entry that is not a rule set of this shape."""


def encode(value: Any) -> Any:
    if isinstance(value, BaseModel):
        out = {"$m": type(value).__name__}
        for name in type(value).model_fields:
            out[name] = encode(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {"$d": {str(k): encode(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, _PRIMITIVES):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


Check = typing.Callable[[Any], bool]


def _always(value: Any) -> bool:
    return True


def _checker(annotation: Any) -> Check:
    """A function telling whether a decoded value is of the declared type (unknown annotations
    accept anything)."""
    if annotation is Any or annotation is object:
        return _always
    if annotation is type(None) or annotation is None:
        return lambda v: v is None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _checker(args[0])
    if origin is typing.Union or origin is types.UnionType:
        options = [_checker(a) for a in args]
        return lambda v: any(ok(v) for ok in options)
    if origin is typing.Literal:
        allowed = set(args)
        return lambda v: isinstance(v, _PRIMITIVES) and v in allowed
    if origin in (list, tuple, set, frozenset):
        inner = _checker(args[0]) if args else _always
        return lambda v: isinstance(v, list) and all(inner(x) for x in v)
    if origin is dict:
        key_ok, val_ok = (_checker(args[0]), _checker(args[1])) if len(args) == 2 else (_always, _always)
        return lambda v: isinstance(v, dict) and all(key_ok(k) and val_ok(x) for k, x in v.items())
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return lambda v: isinstance(v, annotation)
        if annotation is bool:
            return lambda v: v is True or v is False
        if annotation is int:
            return lambda v: type(v) is int
        if annotation is float:
            return lambda v: type(v) in (int, float)
        if annotation in (str, list, dict):
            return lambda v: isinstance(v, annotation)
    return _always


class Decoder:
    """Rebuilds records of the given model classes (by name) from `encode`'s output."""

    def __init__(self, models: dict[str, type[BaseModel]]) -> None:
        self.models = models
        self._fields: dict[type, dict[str, Check]] = {}
        self._required: dict[type, frozenset[str]] = {}

    def _shape(self, cls: type[BaseModel]) -> tuple[dict[str, Check], frozenset[str]]:
        if cls not in self._fields:
            self._fields[cls] = {name: _checker(info.annotation) for name, info in cls.model_fields.items()}
            self._required[cls] = frozenset(n for n, info in cls.model_fields.items() if info.is_required())
        return self._fields[cls], self._required[cls]

    def decode(self, value: Any) -> Any:
        if isinstance(value, _PRIMITIVES):
            return value
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            raise BadEntry(f"unexpected {type(value).__name__}")
        if len(value) == 1 and "$d" in value and isinstance(value["$d"], dict):
            return {k: self.decode(v) for k, v in value["$d"].items()}
        name = value.get("$m")
        cls = self.models.get(name) if isinstance(name, str) else None
        if cls is None:
            raise BadEntry(f"not a rule record: {str(name)[:40]!r}")
        checks, required = self._shape(cls)
        values = {}
        for field, raw in value.items():
            if field == "$m":
                continue
            ok = checks.get(field)
            if ok is None:
                raise BadEntry(f"{cls.__name__} has no field {field[:40]!r}")
            decoded = self.decode(raw)
            if not ok(decoded):
                raise BadEntry(f"{cls.__name__}.{field}: a value of the wrong type")
            values[field] = decoded
        if not required <= values.keys():
            raise BadEntry(f"{cls.__name__}: missing {sorted(required - values.keys())}")
        return cls.model_construct(**values)


def model_classes(module: types.ModuleType) -> dict[str, type[BaseModel]]:
    """The pydantic models defined in `module`, by class name."""
    return {
        name: obj
        for name, obj in vars(module).items()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__
    }


__all__ = ["FORMAT", "BadEntry", "Decoder", "encode", "model_classes"]
