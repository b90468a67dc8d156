"""Who is signed in: Flask-Login backed by server-side session rows, and the forced change
of one-time passwords."""

from __future__ import annotations

import time

from flask import Flask, Request, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from intranet_social.accounts import service, tokens
from intranet_social.accounts.models import User
from intranet_social.extensions import db, login_manager

SESSION_KEY = "sid"
#: where the request keeps the person its session cookie signed in (see signed_in_user)
SIGNED_IN_KEY = "signed_in_user"
#: endpoints a holder of a one-time password may still reach
OPEN_DURING_PASSWORD_CHANGE = frozenset(
    {"accounts.change_password", "accounts.logout", "static", "health.healthz"}
)


#: the files behind the media URLs of API answers, which API clients fetch with their token
MEDIA_ENDPOINTS = frozenset(
    {"posts.show_media", "messaging.show_media", "profiles.avatar_image", "profiles.cover_image"}
)


#: how often a signed-in person's cookie is sent anew, moving its expiry on: not on every
#: request (``SESSION_REFRESH_EACH_REQUEST`` is off), as signing it costs more than the rest
#: of a small request such as the message poll
COOKIE_REFRESH_SECONDS = 300
REFRESHED_KEY = "refreshed"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = service.session_user(user_id, session.get(SESSION_KEY))
    if user is not None:
        setattr(g, SIGNED_IN_KEY, user)
        period = int(time.time()) // COOKIE_REFRESH_SECONDS
        if session.get(REFRESHED_KEY) != period:
            session[REFRESHED_KEY] = period
    return user


@login_manager.request_loader
def _load_media_reader(incoming: Request) -> User | None:
    """A bearer token's holder, for the media files only: they get the same permission checks
    as a signed-in browser. Pages never take a token (their forms rely on the session)."""
    if incoming.endpoint not in MEDIA_ENDPOINTS or incoming.method not in ("GET", "HEAD"):
        return None
    scheme, _, secret = incoming.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    found = tokens.user_for_token(secret.strip())
    if found is None or found[0].must_change_password:
        return None
    return found[0]


def sign_in(user: User) -> None:
    """Start a fresh session: the old cookie's contents are dropped, a new key is issued."""
    session.clear()
    key = service.start_session(
        user, ip=request.remote_addr or "", user_agent=request.user_agent.string or ""
    )
    session[SESSION_KEY] = key
    session.permanent = True
    login_user(user)
    setattr(g, SIGNED_IN_KEY, user)


def sign_out() -> None:
    service.end_session(session.get(SESSION_KEY))
    logout_user()
    g.pop(SIGNED_IN_KEY, None)
    session.clear()


def current_session_key() -> str | None:
    return session.get(SESSION_KEY)


def signed_in_user() -> User:
    """The signed-in person as the ``User`` itself, for a request that requires sign-in.

    ``current_user`` is Flask-Login's stand-in for it, and every attribute read through the
    stand-in costs a look-up: a page that asks the viewer for its id and role hundreds of
    times takes the object once. The session already holds it (the sign-in check loaded
    it, and kept it on ``g``), so this costs no query."""
    kept: User | None = g.get(SIGNED_IN_KEY)
    if kept is not None:
        return kept
    user_id = current_user.get_id()
    user = db.session.get(User, int(user_id)) if user_id is not None else None
    if user is None:
        raise RuntimeError("signed_in_user() is for requests that require sign-in")
    return user


def _require_password_change() -> Response | None:
    # API callers get JSON (403 password_change_required), never a redirect to a page.
    if request.path.startswith("/api/") or request.endpoint in OPEN_DURING_PASSWORD_CHANGE:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("accounts.change_password"))
    return None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # our session rows do this job, server-side
    app.before_request(_require_password_change)
