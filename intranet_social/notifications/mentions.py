"""@mentions in posts and comments: the people named are told, if they may see the post.

Someone mentioned in a friends-only post they cannot see hears nothing (the mention stays
plain text for them anyway). An edit tells only the people it newly mentions.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from intranet_social.accounts.models import Status, User
from intranet_social.core.text import mentioned_usernames
from intranet_social.extensions import db
from intranet_social.notifications.models import Kind
from intranet_social.notifications.service import notify
from intranet_social.posts.audience import can_view_post
from intranet_social.posts.models import Comment, Post

#: a text naming more people than this tells the first ones only
MAX_MENTIONS = 50


def mentions_written(
    author_id: int,
    post: Post,
    text: str,
    *,
    comment: Comment | None = None,
    previous: str = "",
    told: Collection[int] = (),
) -> None:
    """Tell the people ``text`` mentions (and ``previous`` did not) who may see ``post``,
    except its author and those already ``told`` about the same thing."""
    names = sorted(mentioned_usernames(text) - mentioned_usernames(previous))[:MAX_MENTIONS]
    if not names:
        return
    people = db.session.scalars(
        select(User).where(User.username.in_(names), User.status == Status.ACTIVE.value)
    )
    for person in people:
        if person.id == author_id or person.id in told or not can_view_post(person, post):
            continue
        notify(
            person.id,
            Kind.MENTION,
            author_id,
            post_id=post.id,
            comment_id=comment.id if comment is not None else None,
        )
