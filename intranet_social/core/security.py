"""Security headers on every response, the Host check and per-request Secure cookies."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

from intranet_social.config import ConfigError, secret_key_problem

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
#: reachable under any Host so monitoring can ask by IP address
HOST_CHECK_EXEMPT = frozenset({"health.healthz"})


class TLSAwareSessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over TLS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def _refuse_nul_in_path() -> None:
    # No page's name or id contains NUL, and PostgreSQL refuses to even look one up.
    if "\x00" in request.path:
        abort(404)


def _check_host() -> None:
    allowed = current_app.config["SOCIAL_HOSTNAMES"]
    if not allowed or request.endpoint in HOST_CHECK_EXEMPT:
        return
    try:
        host = urlsplit("//" + request.host).hostname or ""
    except ValueError:
        host = ""
    if host.lower() not in allowed:
        abort(400, description="This site is not served under that name.")


def _add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if "Cache-Control" not in response.headers and response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Install the baseline; refuse to start with a secret key anyone could know."""
    problem = secret_key_problem(app.config.get("SECRET_KEY") or "")
    if problem:
        raise ConfigError(f"config {problem}")
    app.config["SOCIAL_HOSTNAMES"] = frozenset(
        h.lower() for h in app.config["SOCIAL_CONFIG"].site.hostnames
    )
    app.session_interface = TLSAwareSessionInterface()
    # The Host check runs before anything else looks at the request.
    app.before_request_funcs.setdefault(None, []).insert(0, _check_host)
    app.before_request(_refuse_nul_in_path)
    app.after_request(_add_headers)
