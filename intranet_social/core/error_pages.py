"""Styled error pages for people, JSON errors for the API; never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, current_app, make_response, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from intranet_social.core.errors import DomainError
from intranet_social.core.json_errors import json_error

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Cannot be processed",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Unavailable",
}
HINTS = {
    400: "The request could not be understood.",
    403: "You are not allowed to see this page.",
    404: "There is nothing here. It may have been deleted, or you may not be allowed to see it.",
    405: "This address does not accept that kind of request.",
    413: "The upload is larger than this site accepts.",
    429: "Too many attempts in a short time. Wait a moment and try again.",
    500: "The error has been logged. Try again; if it keeps happening, tell your IT team.",
}

#: no template, no query: what people see when even the error page's layout fails
PLAIN_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} · {site_name}</title>
  <link rel="stylesheet" href="{stylesheet}">
</head>
<body>
  <main id="main" class="page">
    <section class="card card--narrow error-page">
      <p class="error-page__code">{code}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      <p><a href="/">Go to the feed</a></p>
    </section>
  </main>
</body>
</html>
"""


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{max(limit // 1024, 1)} KB"


def _message(error: HTTPException) -> str:
    code = error.code or 500
    if code == 413:
        limit = request.max_content_length
        size = f" ({_size(limit)})" if limit else ""
        return f"The upload is larger than this site accepts{size}."
    if isinstance(error, RateLimitExceeded):
        # its description is the bare limit ("20 per 1 minute"), not a sentence
        return HINTS[429]
    if isinstance(error, CSRFError):
        return "The form expired or was sent from elsewhere. Reload the page and try again."
    description = error.description or ""
    default = type(error).description if hasattr(type(error), "description") else ""
    if description and description != default:
        return description
    return HINTS.get(code, description)


def _error_page(code: int, title: str, message: str) -> str:
    """The styled page; a plain one when the layout itself fails (say, the database is down
    and the layout wants the signed-in person's name)."""
    try:
        return render_template("errors/error.html", code=code, title=title, message=message)
    except Exception:
        log.exception("the %s error page could not be rendered; sending the plain one", code)
        return PLAIN_PAGE.format(
            code=code,
            title=escape(title),
            message=escape(message),
            site_name=escape(current_app.config["SOCIAL_CONFIG"].site.name),
            stylesheet=escape(url_for("static", filename="css/site.css")),
        )


def render_error(error: HTTPException) -> Response:
    code = error.code or 500
    message = _message(error)
    if wants_json():
        response = json_error(code, message)
    else:
        response = make_response(_error_page(code, TITLES.get(code, "Error"), message), code)
    if code == 429 and "Retry-After" not in response.headers:
        retry = getattr(error, "retry_after", None)
        response.headers["Retry-After"] = str(retry or 60)
    if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        return render_error(error)

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError) -> Response:
        exc = HTTPException(description=error.message)
        exc.code = error.status
        return render_error(exc)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError())
