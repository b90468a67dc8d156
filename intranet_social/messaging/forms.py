"""Forms of the messaging pages. The rules (lengths, who may write to whom) live in the
service; these only shape the input and say what each field is."""

from flask_wtf import FlaskForm
from wtforms import MultipleFileField, StringField, TextAreaField

from intranet_social.messaging.service import MAX_NAME, MAX_PHOTOS
from intranet_social.posts.service import MAX_BODY


class MessageForm(FlaskForm):
    body = TextAreaField("Message", render_kw={"rows": 2, "maxlength": MAX_BODY})
    photos = MultipleFileField(
        "Photos", render_kw={"accept": "image/*"}, description=f"Up to {MAX_PHOTOS} photos."
    )


class GroupForm(FlaskForm):
    name = StringField("Group name", render_kw={"maxlength": MAX_NAME})
    members = StringField(
        "Members", description="Usernames of the people to add, separated by spaces or commas."
    )


class AddMemberForm(FlaskForm):
    username = StringField("Username")


def usernames_in(text: str | None) -> list[str]:
    """The usernames in a list typed by a person: spaces, commas and leading @ allowed."""
    return [name.lstrip("@") for name in (text or "").replace(",", " ").split() if name.lstrip("@")]
