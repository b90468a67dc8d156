"""Building blocks of the OpenAPI document: schemas, parameters, responses and operations.

Each feature area describes its operations in a module of this package with an ``area()``
function returning an :class:`Area`; :mod:`intranet_social.api.openapi` merges them. The
schemas of answers are not written here: each is generated from its resource (a feature's
``resources.py``, see :mod:`intranet_social.core.resource`) with ``schemas_of``; request
bodies, which the API checks key by key, are written with :func:`obj`.
An operation's ``operationId`` is the name of the view function that serves it, which the
tests use to check that the document and the routes agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]

JSON = "application/json"
#: error statuses and the names of their shared responses under ``components/responses``
ERROR_RESPONSES = {
    400: (
        "BadRequest",
        "The request could not be understood: a wrong Host, or a session "
        "caller's change without the X-CSRFToken header (code csrf_failed).",
    ),
    401: ("Unauthorized", "No valid credentials: send a bearer token (or sign in)."),
    403: (
        "Forbidden",
        "Not allowed: the account must change its one-time password first "
        "(code password_change_required), the token's scope is too narrow, or the "
        "caller lacks the role.",
    ),
    404: ("NotFound", "There is no such thing, or the caller may not see it."),
    409: ("Conflict", "The request clashes with the current state (the field says where)."),
    413: ("TooLarge", "The request body is larger than the site accepts."),
    422: (
        "Invalid",
        "A value is not acceptable; the field names it (body for the whole "
        "body, or a query parameter such as limit or cursor).",
    ),
    429: ("RateLimited", "Too many requests; wait the Retry-After seconds."),
}


@dataclass(frozen=True)
class Area:
    """One feature's part of the document: its paths and the schemas they use."""

    paths: dict[str, dict[str, Any]]
    schemas: dict[str, Schema] = field(default_factory=dict)


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(
    properties: dict[str, Schema],
    *,
    required: Iterable[str] | None = None,
    closed: bool = False,
    description: str | None = None,
) -> Schema:
    """An object schema; every property is required unless ``required`` says otherwise.

    ``closed`` adds ``additionalProperties: false``: only for objects that can never gain a
    field (request bodies the API checks key by key, the error envelope). Answers stay open,
    so later versions may add fields without breaking clients.
    """
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
    }
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


def list_of(item: str) -> Schema:
    """The list format: ``{"items": [...], "next_cursor": str | null}``."""
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "next_cursor": {
                "type": ["string", "null"],
                "description": "Pass as ?cursor= for the next page; null on the last page.",
            },
        },
        closed=True,
    )


def query(name: str, schema: Schema, description: str) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def path_parameter(name: str, schema: Schema, description: str) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


PAGE_PARAMETERS = [
    {"$ref": "#/components/parameters/Cursor"},
    {"$ref": "#/components/parameters/Limit"},
]


def answer(description: str, schema: Schema | None = None) -> Schema:
    """A response; without ``schema`` it has no body (204)."""
    response: Schema = {"description": description}
    if schema is not None:
        response["content"] = {JSON: {"schema": schema}}
    return response


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    ok: tuple[int, Schema],
    errors: Iterable[int] = (),
    parameters: Iterable[Schema] = (),
    body: Schema | None = None,
    public: bool = False,
    description: str | None = None,
) -> Schema:
    """One operation. Every one may answer 400; protected ones 401 and 403 too; ones with a
    body 413 and 422; ``errors`` adds the statuses particular to it."""
    status, success = ok
    codes = {400, *errors}
    if not public:
        codes |= {401, 403}
    if body is not None:
        codes |= {413, 422}
    responses = {str(status): success}
    for code in sorted(codes):
        responses[str(code)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
    op: Schema = {"operationId": operation_id, "summary": summary, "tags": [tag]}
    if description:
        op["description"] = description
    if parameters:
        op["parameters"] = list(parameters)
    if body is not None:
        op["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    op["responses"] = responses
    if public:
        op["security"] = []
    return op


ERROR_SCHEMA = obj(
    {
        "error": obj(
            {
                "code": {
                    "type": "string",
                    "description": "Stable, for programs: e.g. invalid, not_found, conflict, "
                    "unauthorized, forbidden, password_change_required, csrf_failed.",
                },
                "message": {"type": "string", "description": "One sentence, for people."},
                "field": {
                    "type": "string",
                    "description": "The body field or parameter at fault, when there is one.",
                },
            },
            required=("code", "message"),
            closed=True,
        )
    },
    closed=True,
)


def _error_response(code: int, description: str) -> Schema:
    response = answer(description, ref("Error"))
    if code == 401:
        response["headers"] = {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}}
    elif code == 429:
        response["headers"] = {"Retry-After": {"required": True, "schema": {"type": "string"}}}
    return response


def base_components() -> Schema:
    """The parts every area shares: the error format, paging parameters, bearer auth."""
    return {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal access token (isk_...), made on the account page, "
                "with POST /tokens or `intranet-social token create`.",
            }
        },
        "parameters": {
            "Cursor": query(
                "cursor",
                {"type": "string"},
                "The next_cursor of the previous page; absent for the first page.",
            ),
            "Limit": query(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                "How many items per page (1 to 100); anything else answers 422.",
            ),
        },
        "responses": {
            name: _error_response(code, description)
            for code, (name, description) in ERROR_RESPONSES.items()
        },
        "schemas": {"Error": ERROR_SCHEMA},
    }
