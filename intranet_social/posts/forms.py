"""Forms of the post pages. The rules (lengths, audiences, who may post where) live in the
service; these only shape the input and say what each field is."""

from functools import partial
from typing import Any

from flask_wtf import FlaskForm

# SelectChoice is new in WTForms 3.3, which deprecates (value, label) tuples; typeshed's stubs
# are for 3.2 and lack it.
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    FileField,
    HiddenField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    TextAreaField,
)

from intranet_social.posts.comments import MAX_COMMENT
from intranet_social.posts.service import MAX_BODY, MAX_PHOTOS
from intranet_social.site_settings.service import get_setting

AUDIENCES = [SelectChoice("friends", "Friends"), SelectChoice("everyone", "Everyone")]


class PostForm(FlaskForm):
    body = TextAreaField(
        "What's on your mind?",
        render_kw={"rows": 3, "maxlength": MAX_BODY},
        description="Links and @mentions become clickable.",
    )
    audience = SelectField(
        "Who sees it", choices=AUDIENCES, default=partial(get_setting, "default_audience")
    )
    photos = MultipleFileField(
        "Photos",
        render_kw={"accept": "image/*"},
        description=f"Up to {MAX_PHOTOS} photos.",
    )
    video = FileField(
        "Video",
        render_kw={"accept": "video/mp4,video/webm,video/quicktime"},
        description="One MP4, WebM or QuickTime video.",
    )
    wall = HiddenField()
    #: the slug of the space it goes to; such a post's audience is the space
    space = HiddenField()
    next = HiddenField()
    #: offered only to those who may mark one (``must_read_offered``)
    must_read = BooleanField(
        "Must-read announcement",
        description="Pinned atop the feed of everyone it is for until they acknowledge it.",
    )

    def __init__(self, *args: Any, must_read_offered: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not must_read_offered:
            del self.must_read


class EditPostForm(FlaskForm):
    body = TextAreaField("Text", render_kw={"rows": 6, "maxlength": MAX_BODY})
    audience = SelectField("Who sees it", choices=AUDIENCES)


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", render_kw={"rows": 2, "maxlength": MAX_COMMENT})
    next = HiddenField()
