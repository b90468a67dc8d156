"""The API's error format: ``{"error": {"code", "message", "field"?}}`` with the right status."""

from __future__ import annotations

from flask import jsonify, make_response
from werkzeug.wrappers import Response

from intranet_social.core.errors import DomainError

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def json_error(
    status: int, message: str, code: str | None = None, field: str | None = None
) -> Response:
    body: dict[str, str] = {"code": code or CODES.get(status, "error"), "message": message}
    if field:
        body["field"] = field
    return make_response(jsonify(error=body), status)


def domain_error_response(error: DomainError) -> Response:
    response = json_error(error.status, error.message, error.code, error.field)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="intranet-social"'
    if error.status == 429:
        response.headers["Retry-After"] = "60"
    return response
