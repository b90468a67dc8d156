"""``/api/v1``: the JSON face of the same services the pages use.

Requests authenticate with ``Authorization: Bearer <token>``, or — for the site's own
scripts — with the session cookie plus the ``X-CSRFToken`` header on every change.
Every answer, errors included, is JSON; errors look like
``{"error": {"code": ..., "message": ..., "field": ...}}``.
"""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from intranet_social.accounts import tokens
from intranet_social.accounts.auth import signed_in_user
from intranet_social.core.error_pages import render_error
from intranet_social.core.errors import (
    DomainError,
    Forbidden,
    PasswordChangeRequired,
    Unauthorized,
)
from intranet_social.core.json_errors import domain_error_response, json_error
from intranet_social.extensions import csrf

API_PREFIX = "/api/v1"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_ENDPOINTS = frozenset({"api.openapi.openapi_document"})
CSRF_MESSAGE = (
    "Send the X-CSRFToken header with the page's CSRF token, or use a bearer token instead."
)


def _authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("Send the token as 'Authorization: Bearer <token>'.")
        found = tokens.user_for_token(secret.strip())
        if found is None:
            raise Unauthorized("The token is not valid, has expired or was revoked.")
        g.api_user, g.api_token = found
    elif current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            csrf.protect()
        g.api_user, g.api_token = signed_in_user(), None
    else:
        raise Unauthorized("Sign in, or send a personal access token as a bearer token.")
    if g.api_user.must_change_password:
        raise PasswordChangeRequired(
            "This account has a one-time password; set a new password on the website first."
        )
    admin_area = request.path.startswith(f"{API_PREFIX}/admin/")
    if g.api_token is not None:
        if not tokens.token_allows(g.api_token, g.api_user, request.method, admin=admin_area):
            needed = "admin" if admin_area else "write"
            raise Forbidden(f"This token's scope does not allow this; it needs {needed} scope.")
    elif admin_area and not g.api_user.is_moderator:
        raise Forbidden("Only moderators and admins can do this.")


def _domain_error(error: DomainError) -> Response:
    return domain_error_response(error)


def _http_error(error: HTTPException) -> Response:
    if isinstance(error, CSRFError):
        return json_error(400, CSRF_MESSAGE, "csrf_failed")
    return render_error(error)


def api_blueprint(*parts: Blueprint) -> Blueprint:
    """The ``/api/v1`` blueprint with each feature's API blueprint nested in it.

    Every nested route authenticates and answers errors as JSON here. The app factory builds
    one per application, so a feature's API module only defines its own routes.
    """
    api = Blueprint("api", __name__, url_prefix=API_PREFIX)
    api.before_request(_authenticate)
    api.register_error_handler(DomainError, _domain_error)
    api.register_error_handler(HTTPException, _http_error)
    csrf.exempt(api)
    for part in parts:
        csrf.exempt(part)  # the API checks the CSRF header itself, in _authenticate
        api.register_blueprint(part)
    return api
