"""What every page with a form needs: a service error shown on the form, a safe ``next=``,
the files an upload field sent."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from intranet_social.core.errors import DomainError


def safe_next(target: str | None) -> str:
    """``next=`` only to a path on this site; anything else goes to the feed."""
    if not target:
        return url_for("feed.home")
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(ch) < 32 for ch in target)
    ):
        return url_for("feed.home")
    return target


def apply_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service error beside its field, or above the form when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def uploads(name: str) -> list[FileStorage]:
    """The files sent in field ``name``; an input left empty sends one without a name."""
    return [upload for upload in request.files.getlist(name) if upload.filename]
