"""The admin blueprint and what its pages share: who may open them, the page cursor."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from intranet_social.core.errors import Forbidden
from intranet_social.core.models import id_from_text

bp = Blueprint("admin", __name__, template_folder="templates")


def require_moderator() -> None:
    if not current_user.is_moderator:
        raise Forbidden("Only moderators and admins can open this page.")


def require_admin() -> None:
    if not current_user.is_admin:
        raise Forbidden("Only admins can open this page.")


def page_cursor(name: str = "before") -> int | None:
    value = request.args.get(name, "")
    return id_from_text(value)
