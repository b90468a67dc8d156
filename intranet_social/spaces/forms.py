"""Forms of the space pages. The rules (names, addresses, roles, who may do what) live in the
service; these only shape the input."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField

# SelectChoice is new in WTForms 3.3 (see posts/forms.py)
from wtforms import SelectChoice, SelectField, StringField, TextAreaField  # type: ignore[attr-defined]

from intranet_social.spaces.service import MAX_DESCRIPTION, MAX_NAME, MAX_SLUG

VISIBILITIES = [
    SelectChoice("open", "Open: anyone may read and join"),
    SelectChoice("closed", "Closed: anyone sees it; members read; joining needs approval"),
    SelectChoice("secret", "Secret: only members know it exists"),
]
#: what a picture upload offers to choose (any picture Pillow reads is taken)
PICTURE_TYPES = "image/jpeg,image/png,image/gif,image/webp"
ROLES = [
    SelectChoice("member", "Member"),
    SelectChoice("moderator", "Moderator"),
    SelectChoice("owner", "Owner"),
]


class SpaceForm(FlaskForm):
    name = StringField("Name", render_kw={"maxlength": MAX_NAME})
    slug = StringField(
        "Address",
        render_kw={"maxlength": MAX_SLUG},
        description="Lower-case letters, digits and hyphens; made from the name when empty.",
    )
    visibility = SelectField("Who sees it", choices=VISIBILITIES, default="open")
    description = TextAreaField("About", render_kw={"rows": 3, "maxlength": MAX_DESCRIPTION})


class SpaceSettingsForm(FlaskForm):
    name = StringField("Name", render_kw={"maxlength": MAX_NAME})
    visibility = SelectField("Who sees it", choices=VISIBILITIES)
    description = TextAreaField("About", render_kw={"rows": 3, "maxlength": MAX_DESCRIPTION})


class MemberForm(FlaskForm):
    username = StringField("Username", render_kw={"maxlength": 32})
    role = SelectField("Role", choices=ROLES, default="member")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLES)


class SpaceAvatarForm(FlaskForm):
    avatar = FileField("New avatar", render_kw={"accept": PICTURE_TYPES})


class SpaceCoverForm(FlaskForm):
    cover = FileField("New cover picture", render_kw={"accept": PICTURE_TYPES})
