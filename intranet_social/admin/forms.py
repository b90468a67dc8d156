"""Forms of the report and admin pages. Rules live in the services; forms only shape input."""

from flask_wtf import FlaskForm

# SelectChoice is new in WTForms 3.3, which deprecates (value, label) tuples; typeshed's stubs
# are for 3.2 and lack it.
from wtforms import (  # type: ignore[attr-defined]
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from intranet_social.admin.reports import MAX_REASON
from intranet_social.config import REGISTRATION_MODES


class ReportForm(FlaskForm):
    reason = TextAreaField(
        "Why do you report this?",
        render_kw={"rows": 4, "maxlength": MAX_REASON},
        description="Moderators read this; say what is wrong.",
    )
    next = HiddenField()


class SettingsForm(FlaskForm):
    site_name = StringField("Site name", render_kw={"maxlength": 100})
    registration = SelectField(
        "Registration mode", choices=[SelectChoice(m, m.capitalize()) for m in REGISTRATION_MODES]
    )
    email_domains = StringField(
        "Allowed e-mail domains",
        description="For the domain mode; separate several with commas, e.g. corp.example.",
    )
    messaging = SelectField(
        "Who may message whom",
        choices=[
            SelectChoice("everyone", "Everyone may message everyone"),
            SelectChoice("friends", "Only friends may message each other"),
        ],
    )
    default_audience = SelectField(
        "Default post audience",
        choices=[SelectChoice("friends", "Friends"), SelectChoice("everyone", "Everyone")],
    )
    space_creation = SelectField(
        "Who may create spaces",
        choices=[
            SelectChoice("everyone", "Everyone"),
            SelectChoice("admins", "Only admins"),
        ],
    )
    max_image_mb = StringField("Largest image (MB)", render_kw={"inputmode": "numeric"})
    max_video_mb = StringField("Largest video (MB)", render_kw={"inputmode": "numeric"})


class InviteForm(FlaskForm):
    uses = IntegerField("Uses", default=1, validators=[Optional()])
    expires_days = IntegerField("Valid for (days)", default=7, validators=[Optional()])
    note = StringField("Note", render_kw={"maxlength": 200}, description="Who the link is for.")
