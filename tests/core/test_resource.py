"""API resources: one dataclass gives an answer's JSON and its JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from intranet_social.core.resource import RESOURCES, prop, resource, schema_of, to_json

MOMENT = datetime(2024, 2, 29, 8, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def shapes() -> Any:
    """Two resources made for these tests, taken out of the registry afterwards."""

    @resource("Someone, briefly.")
    class SampleRef:
        username: str
        avatar_url: str | None

    @resource("A thing with every kind of field.")
    class SampleThing:
        id: int = prop("Its number.", minimum=1)
        owner: SampleRef = prop(key="from")
        helper: SampleRef | None
        wall: str = prop(source="wall.username")
        kind: str = prop(enum=["a", "b"])
        created_at: datetime
        edited_at: datetime | None
        born: date
        tags: list[str]
        people: list[SampleRef] = prop(source="crowd")
        details: dict[str, Any]

    yield SampleRef, SampleThing
    del RESOURCES["SampleRef"], RESOURCES["SampleThing"]


@dataclass
class Person:
    username: str
    avatar_url: str | None = None


@dataclass
class Card:
    id: int
    owner: Person
    helper: Person | None
    wall: Person
    kind: str
    created_at: datetime
    edited_at: datetime | None
    born: date
    tags: tuple[str, ...]
    crowd: tuple[Person, ...]
    details: dict[str, Any]


def test_schema_says_every_field_with_its_type_and_what_prop_adds(shapes: Any) -> None:
    _, thing = shapes
    schema = schema_of(thing)
    assert schema["type"] == "object"
    assert schema["description"] == "A thing with every kind of field."
    assert "additionalProperties" not in schema
    properties = schema["properties"]
    assert schema["required"] == list(properties)
    assert properties == {
        "id": {"type": "integer", "minimum": 1, "description": "Its number."},
        "from": {"$ref": "#/components/schemas/SampleRef"},
        "helper": {"anyOf": [{"$ref": "#/components/schemas/SampleRef"}, {"type": "null"}]},
        "wall": {"type": "string"},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "created_at": {"type": "string", "format": "date-time"},
        "edited_at": {"type": ["string", "null"], "format": "date-time"},
        "born": {"type": "string", "format": "date"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "people": {"type": "array", "items": {"$ref": "#/components/schemas/SampleRef"}},
        "details": {"type": "object"},
    }
    assert schema_of(shapes[0])["properties"]["avatar_url"] == {"type": ["string", "null"]}


def test_to_json_writes_the_schema_keys_from_the_object_given(shapes: Any) -> None:
    _, thing = shapes
    ana, bo = Person("ana", "/a.png"), Person("bo")
    card = Card(7, ana, None, bo, "a", MOMENT, None, date(1990, 2, 1), ("x",), (ana, bo), {})
    answer = to_json(thing, card)
    assert answer == {
        "id": 7,
        "from": {"username": "ana", "avatar_url": "/a.png"},
        "helper": None,
        "wall": "bo",
        "kind": "a",
        "created_at": "2024-02-29T08:30:00+00:00",
        "edited_at": None,
        "born": "1990-02-01",
        "tags": ["x"],
        "people": [
            {"username": "ana", "avatar_url": "/a.png"},
            {"username": "bo", "avatar_url": None},
        ],
        "details": {},
    }
    assert answer.keys() == schema_of(thing)["properties"].keys()


def test_values_given_by_name_take_the_place_of_the_objects(shapes: Any) -> None:
    ref, thing = shapes
    assert to_json(ref, Person("ana"), avatar_url="/x.png") == {
        "username": "ana",
        "avatar_url": "/x.png",
    }
    assert to_json(ref, username="bo", avatar_url=None) == {"username": "bo", "avatar_url": None}
    card = Card(7, Person("a"), Person("h"), Person("w"), "b", MOMENT, MOMENT, date.min, (), (), {})
    answer = to_json(thing, card, helper=None, edited_at=None, people=[Person("p")])
    assert answer["helper"] is None
    assert answer["edited_at"] is None
    assert answer["people"] == [{"username": "p", "avatar_url": None}]
    assert answer["wall"] == "w"


def test_a_value_for_no_field_is_refused(shapes: Any) -> None:
    ref, _ = shapes
    with pytest.raises(TypeError, match="SampleRef has no field usernme"):
        to_json(ref, Person("ana"), usernme="bo")


def test_an_instance_of_the_resource_is_its_own_source(shapes: Any) -> None:
    ref, _ = shapes
    assert to_json(ref, ref(username="ana", avatar_url=None)) == {
        "username": "ana",
        "avatar_url": None,
    }


def test_a_resource_name_is_taken_once(shapes: Any) -> None:
    with pytest.raises(ValueError, match="SampleRef defined twice"):

        @resource("Again.")
        class SampleRef:
            username: str
