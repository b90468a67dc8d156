"""Messaging pages: the conversation list, a conversation with its send form, groups, the
"Message" button of profiles, blocking, message photos, and the top bar's unread badge.

Without JavaScript a reload shows everything; ``messages.js`` appends new messages as they come.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from intranet_social.core.errors import DomainError, NotFound
from intranet_social.core.forms import apply_error, safe_next, uploads
from intranet_social.core.models import id_from_text
from intranet_social.core.transaction import discard_changes
from intranet_social.friends import blocks
from intranet_social.media.storage import send_media
from intranet_social.messaging import groups, service
from intranet_social.messaging.cards import message_cards
from intranet_social.messaging.forms import AddMemberForm, GroupForm, MessageForm, usernames_in

bp = Blueprint("messaging", __name__, template_folder="templates")

CONVERSATION_ID = "<int:conversation_id>"
PHOTO_VARIANTS = {"full": "image/webp", "thumb": "image/webp"}


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Every page here is for signed-in people."""


@bp.app_context_processor
def _unread_messages() -> dict[str, Callable[[], int]]:
    """``messages_unread()`` for the top bar: one query, only on pages that show the bar."""

    def messages_unread() -> int:
        if not has_request_context() or not current_user.is_authenticated:
            return 0
        if current_user.must_change_password:
            return 0
        try:
            return service.unread_count(current_user)
        except SQLAlchemyError:  # an error page still renders while the database is away
            return 0

    return {"messages_unread": messages_unread}


def conversation_url(conversation_id: int) -> str:
    return url_for("messaging.show_conversation", conversation_id=conversation_id)


def _older_than() -> int | None:
    raw = request.args.get("before", "")
    return id_from_text(raw)


@bp.get("/messages")
def list_conversations() -> str:
    return render_template(
        "messaging/index.html",
        conversations=service.conversations_of(current_user),
        blocked=blocks.blocked_people(current_user),
        form=GroupForm(),
    )


@bp.post("/messages/groups")
def create_group() -> ResponseReturnValue:
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = groups.create_group(
                current_user, usernames_in(form.members.data), form.name.data
            )
            return redirect(conversation_url(group.id))
        except DomainError as error:
            apply_error(form, error)
    page = render_template(
        "messaging/index.html",
        conversations=service.conversations_of(current_user),
        blocked=blocks.blocked_people(current_user),
        form=form,
    )
    return page, 422


@bp.post("/messages/with/<username>")
def open_direct(username: str) -> Response:
    try:
        conversation = service.open_direct(current_user, username)
    except DomainError as error:
        discard_changes()
        if error.status == 404:
            raise
        flash(error.message, "error")
        return redirect(url_for("profiles.show_profile", username=username.lower()))
    return redirect(conversation_url(conversation.id))


def _conversation_page(conversation_id: int, form: MessageForm) -> str:
    conversation = service.get_conversation(current_user, conversation_id)
    messages, older = service.messages_before(current_user, conversation.id, _older_than())
    members = service.members_of(conversation.id)
    other = None if conversation.is_group else service.other_member(current_user, members)
    return render_template(
        "messaging/conversation.html",
        conversation=conversation,
        title=service.title_for(current_user, conversation, members),
        members=members,
        other=other,
        blocked=other is not None and blocks.is_blocked_between(current_user.id, other.id),
        i_blocked=other is not None and blocks.has_blocked(current_user.id, other.id),
        messages=message_cards(current_user, messages),
        older=older,
        latest=conversation.last_message_id or 0,
        form=form,
        member_form=AddMemberForm(),
    )


@bp.get(f"/messages/{CONVERSATION_ID}")
def show_conversation(conversation_id: int) -> str:
    if request.args.get("before") is None:
        service.note_read(current_user, conversation_id)
    return _conversation_page(conversation_id, MessageForm())


@bp.post(f"/messages/{CONVERSATION_ID}")
def send_message(conversation_id: int) -> ResponseReturnValue:
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = service.send_message(
                current_user, conversation_id, form.body.data, uploads("photos")
            )
            return redirect(conversation_url(conversation_id) + f"#message-{message.id}")
        except DomainError as error:
            if error.status == 404:
                raise
            if error.status == 403:
                flash(error.message, "error")
            else:
                apply_error(form, error)
    return _conversation_page(conversation_id, form), 422


@bp.post(f"/messages/{CONVERSATION_ID}/members")
def add_member(conversation_id: int) -> Response:
    form = AddMemberForm()
    try:
        person = groups.add_member(current_user, conversation_id, form.username.data or "")
        flash(f"{person.name} is in the group now.", "success")
    except DomainError as error:
        discard_changes()
        if error.status == 404 and error.field != "username":
            raise
        flash(error.message, "error")
    return redirect(conversation_url(conversation_id))


@bp.post(f"/messages/{CONVERSATION_ID}/leave")
def leave_group(conversation_id: int) -> Response:
    try:
        groups.leave(current_user, conversation_id)
    except DomainError as error:
        discard_changes()
        if error.status == 404:
            raise
        flash(error.message, "error")
        return redirect(conversation_url(conversation_id))
    flash("You left the group.", "success")
    return redirect(url_for("messaging.list_conversations"))


@bp.post("/messages/block/<username>")
def block_person(username: str) -> Response:
    try:
        person = blocks.block(current_user, username)
    except DomainError as error:
        discard_changes()
        if error.status == 404:
            raise
        flash(error.message, "error")
    else:
        flash(f"You blocked {person.name}: no messages or friend requests between you.", "success")
    return _back()


@bp.post("/messages/unblock/<username>")
def unblock_person(username: str) -> Response:
    person = blocks.unblock(current_user, username)
    flash(f"You unblocked {person.name}.", "success")
    return _back()


def _back() -> Response:
    target = request.form.get("next")
    return redirect(safe_next(target) if target else url_for("messaging.list_conversations"))


@bp.get("/messages/media/<int:media_id>/<variant>")
def show_media(media_id: int, variant: str) -> Response:
    media = service.get_media(current_user, media_id)
    if variant not in PHOTO_VARIANTS:
        raise NotFound("There is no such file.")
    return send_media(media.key, variant, PHOTO_VARIANTS[variant])
