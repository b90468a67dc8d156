"""API resources: each answer's JSON and its OpenAPI schema come from one definition.

A resource is a frozen dataclass made with :func:`resource`, kept in its feature's
``resources.py``. Its fields are the answer's keys, their types the JSON types, and
:func:`prop` adds what a type cannot say (a description, an ``enum``, a ``pattern``...).
From that one class :func:`schema_of` writes the JSON Schema (OpenAPI 3.1 is JSON Schema
2020-12) and :func:`to_json` writes an answer, so a field is added in one place and the
document cannot drift from the answers.

``to_json(Post, card)`` reads each field from the object given (a card of the service, a model
row, or an instance of the resource itself) under the field's name, or under ``prop(source=)``
when the object calls it otherwise; keyword values supply fields the object lacks. Values are
written as today's answers were: ``datetime`` and ``date`` as ISO 8601, nested resources as
objects, lists and tuples as arrays, the rest as they are.

Why plain dataclasses rather than pydantic or apispec: no new dependency; the schemas keep the
document's current form (``$ref`` to ``#/components/schemas``, no generated titles or ``$defs``);
and speed. A feed page of the API serialises 20 posts with their media and comments on every
request, so each resource gets a serialiser written once per process as Python source and
compiled, the way :mod:`dataclasses` writes ``__init__``: a dict display that reads the
attributes, with no per-field loop, no instance built and no validation of values the
services already checked. It is as fast as the hand-written functions it replaces.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
    dataclass_transform,
    get_args,
    get_origin,
    get_type_hints,
)

Schema = dict[str, Any]
Resource = TypeVar("Resource", bound=type)

#: every resource by its schema name
RESOURCES: dict[str, type] = {}
_SCALARS: dict[Any, Schema] = {
    int: {"type": "integer"},
    str: {"type": "string"},
    bool: {"type": "boolean"},
    float: {"type": "number"},
    datetime: {"type": "string", "format": "date-time"},
    date: {"type": "string", "format": "date"},
    dict: {"type": "object"},
    Any: {},
}
_ISO = (datetime, date)
_DESCRIPTION = "__resource_description__"


def prop(
    description: str | None = None,
    *,
    key: str | None = None,
    source: str | None = None,
    **keywords: Any,
) -> Any:
    """A resource field with what its type does not say.

    ``description`` and ``keywords`` (``enum``, ``pattern``, ``minimum``...) go into its
    schema; ``key`` is its JSON name when that is no Python name (``from``); ``source`` is
    the attribute to read, dotted for a nested one (``"wall.username"``), when the
    serialised object does not call it by the field's name.
    """
    if description is not None:
        keywords["description"] = description
    return dataclasses.field(metadata={"key": key, "source": source, "schema": keywords})


@dataclass_transform(frozen_default=True, field_specifiers=(prop,))
def resource(description: str) -> Callable[[Resource], Resource]:
    """Make a class a resource (a frozen dataclass) whose schema is named after the class."""

    def make(cls: Resource) -> Resource:
        made = resource_base(cls)
        if made.__name__ in RESOURCES:
            raise ValueError(f"resource {made.__name__} defined twice")
        setattr(made, _DESCRIPTION, description)
        RESOURCES[made.__name__] = made
        return made

    return make


@dataclass_transform(frozen_default=True, field_specifiers=(prop,))
def resource_base(cls: Resource) -> Resource:
    """Fields several resources share, as a frozen dataclass that is no answer of its own."""
    return cast(Resource, dataclasses.dataclass(frozen=True)(cls))


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    key: str
    source: str
    kind: Any
    schema: Schema


def _fields(cls: type) -> Iterator[_Field]:
    # another resource may be named in an annotation without being imported where it is used
    hints = get_type_hints(cls, localns=dict(RESOURCES))
    for item in dataclasses.fields(cls):
        meta = item.metadata
        yield _Field(
            name=item.name,
            key=meta.get("key") or item.name,
            source=meta.get("source") or item.name,
            kind=hints[item.name],
            schema=meta.get("schema", {}),
        )


def _is_resource(kind: Any) -> bool:
    return isinstance(kind, type) and RESOURCES.get(kind.__name__) is kind


def _optional(kind: Any) -> Any | None:
    """``X`` for ``X | None``, else ``None``."""
    if get_origin(kind) in (Union, types.UnionType):
        rest = [arg for arg in get_args(kind) if arg is not type(None)]
        if len(rest) == 1 and len(get_args(kind)) == 2:
            return rest[0]
    return None


def _item(kind: Any) -> Any | None:
    """``X`` for ``list[X]`` and ``tuple[X, ...]``, else ``None``."""
    origin, args = get_origin(kind), get_args(kind)
    if origin is list and len(args) == 1:
        return args[0]
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


# ---------------------------------------------------------------- schema


def _type_schema(kind: Any) -> Schema:
    inner = _optional(kind)
    if inner is not None:
        schema = _type_schema(inner)
        if "type" not in schema:
            return {"anyOf": [schema, {"type": "null"}]}
        return {**schema, "type": [schema["type"], "null"]}
    item = _item(kind)
    if item is not None:
        return {"type": "array", "items": _type_schema(item)}
    if _is_resource(kind):
        return {"$ref": f"#/components/schemas/{kind.__name__}"}
    scalar = _SCALARS.get(get_origin(kind) or kind)
    if scalar is None:
        raise TypeError(f"no JSON schema for {kind!r}")
    return dict(scalar)


def schema_of(cls: type) -> Schema:
    """The JSON Schema of ``cls``'s answers: every field present, ``null`` only where the type
    allows it; open, so later versions may add fields."""
    properties = {field.key: {**_type_schema(field.kind), **field.schema} for field in _fields(cls)}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "description": getattr(cls, _DESCRIPTION),
    }


def schemas_of(*classes: type) -> dict[str, Schema]:
    """The ``components/schemas`` entries of ``classes``, by name."""
    return {cls.__name__: schema_of(cls) for cls in classes}


# ---------------------------------------------------------------- serialising

_SERIALISERS: dict[type, Callable[[Any], dict[str, Any]]] = {}
_WITH_VALUES: dict[type, Callable[[Any, dict[str, Any]], dict[str, Any]]] = {}


def _expression(kind: Any, value: str, names: dict[str, Any]) -> str:
    """Python source turning the value ``value`` of type ``kind`` into JSON."""
    inner = _optional(kind)
    if inner is not None:
        converted = _expression(inner, "_v", names)
        if converted == "_v":
            return value
        return f"({converted} if (_v := {value}) is not None else None)"
    item = _item(kind)
    if item is not None:
        converted = _expression(item, "_x", names)
        return f"list({value})" if converted == "_x" else f"[{converted} for _x in {value}]"
    if _is_resource(kind):
        name = f"_to_{kind.__name__}"
        names[name] = _serialiser(kind)
        return f"{name}({value})"
    if kind in _ISO:
        return f"{value}.isoformat()"
    return value


def _compile(cls: type, *, with_values: bool) -> Callable[..., dict[str, Any]]:
    names: dict[str, Any] = {}
    entries = []
    for field in _fields(cls):
        read = f"o.{field.source}"
        if with_values:
            read = f"(values[{field.name!r}] if {field.name!r} in values else {read})"
        entries.append(f"{field.key!r}: {_expression(field.kind, read, names)}")
    signature = "o, values" if with_values else "o"
    source = f"def to_json({signature}):\n    return {{{', '.join(entries)}}}\n"
    exec(compile(source, f"<resource {cls.__name__}>", "exec"), names)  # noqa: S102
    function: Callable[..., dict[str, Any]] = names["to_json"]
    return function


def _serialiser(cls: type) -> Callable[[Any], dict[str, Any]]:
    function = _SERIALISERS.get(cls)
    if function is None:
        function = _SERIALISERS[cls] = _compile(cls, with_values=False)
    return function


def to_json(cls: type, source: object = None, /, **values: Any) -> dict[str, Any]:
    """``source`` as the resource ``cls``; ``values`` give fields by name, in place of reading
    them from ``source`` (which may then be ``None``)."""
    if not values:
        return _serialiser(cls)(source)
    function = _WITH_VALUES.get(cls)
    if function is None:
        if not _is_resource(cls):
            raise TypeError(f"{cls!r} is not a resource")
        function = _WITH_VALUES[cls] = _compile(cls, with_values=True)
    unknown = values.keys() - {field.name for field in dataclasses.fields(cls)}
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    return function(source, values)
