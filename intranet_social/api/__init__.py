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
from intranet_social.core.error_pages import render_error
from intranet_social.core.errors import (
    DomainError,
    Forbidden,
    PasswordChangeRequired,
    Unauthorized,
)
from intranet_social.core.json_errors import domain_error_response, json_error
from intranet_social.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})
CSRF_MESSAGE = (
    "Send the X-CSRFToken header with the page's CSRF token, or use a bearer token instead."
)


@bp.before_request
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
        g.api_user, g.api_token = current_user._get_current_object(), None
    else:
        raise Unauthorized("Sign in, or send a personal access token as a bearer token.")
    if g.api_user.must_change_password:
        raise PasswordChangeRequired(
            "This account has a one-time password; set a new password on the website first."
        )
    admin_area = request.path.startswith(f"{bp.url_prefix}/admin/")
    if g.api_token is not None:
        if not tokens.token_allows(g.api_token, g.api_user, request.method, admin=admin_area):
            needed = "admin" if admin_area else "write"
            raise Forbidden(f"This token's scope does not allow this; it needs {needed} scope.")
    elif admin_area and not g.api_user.is_moderator:
        raise Forbidden("Only moderators and admins can do this.")


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Response:
    return domain_error_response(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    if isinstance(error, CSRFError):
        return json_error(400, CSRF_MESSAGE, "csrf_failed")
    return render_error(error)


from intranet_social.api import account, admin, openapi  # noqa: E402, F401  (routes register on bp)
from intranet_social.birthdays import api as birthdays_api  # noqa: E402, F401
from intranet_social.friends import api as friends_api  # noqa: E402, F401
from intranet_social.messaging import api as messaging_api  # noqa: E402, F401
from intranet_social.notifications import api as notifications_api  # noqa: E402, F401
from intranet_social.posts import api as posts_api  # noqa: E402, F401
from intranet_social.profiles import api as profiles_api  # noqa: E402, F401
from intranet_social.search import api as search_api  # noqa: E402, F401
