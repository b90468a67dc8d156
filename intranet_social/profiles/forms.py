"""Forms of the profile page. The rules live in the service; forms only shape input."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from intranet_social.profiles.service import BIO_MAX_LENGTH

PICTURE_TYPES = "image/jpeg,image/png,image/gif,image/webp"


class ProfileForm(FlaskForm):
    name = StringField(
        "Display name",
        validators=[DataRequired("Enter your name."), Length(max=100)],
        render_kw={"autocomplete": "name"},
    )
    title = StringField(
        "Job title", validators=[Length(max=100)], render_kw={"autocomplete": "organization-title"}
    )
    department = StringField(
        "Department", validators=[Length(max=100)], render_kw={"list": "department-options"}
    )
    location = StringField(
        "Location",
        validators=[Length(max=100)],
        description="Office, building or city.",
    )
    phone = StringField(
        "Phone",
        validators=[Length(max=40)],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    bio = TextAreaField(
        "About you",
        validators=[
            Length(max=BIO_MAX_LENGTH, message=f"Use at most {BIO_MAX_LENGTH} characters.")
        ],
        render_kw={"rows": 5, "maxlength": BIO_MAX_LENGTH},
        description=f"Up to {BIO_MAX_LENGTH} characters.",
    )
    birthday = StringField(
        "Birthday",
        validators=[Length(max=10, message="Use MM-DD, like 03-14.")],
        render_kw={"placeholder": "MM-DD", "inputmode": "numeric", "autocomplete": "off"},
        description="Month and day, like 03-14. Colleagues see the day and month only.",
    )
    birth_year = StringField(
        "Year of birth (optional)",
        validators=[Length(max=4, message="Enter a year like 1990, or leave it empty.")],
        render_kw={"inputmode": "numeric", "autocomplete": "bday-year"},
        description="Private: never shown to anyone.",
    )
    manager = StringField(
        "Manager",
        validators=[Length(max=32, message="Enter your manager's username.")],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
        description="Your manager's username, like ana.lima; empty if you have none.",
    )
    start_date = StringField(
        "Start date",
        validators=[Length(max=10, message="Use YYYY-MM-DD, like 2019-04-01.")],
        render_kw={"placeholder": "YYYY-MM-DD", "inputmode": "numeric", "autocomplete": "off"},
        description="The day you started here, like 2019-04-01.",
    )


class AvatarForm(FlaskForm):
    avatar = FileField("New profile photo", render_kw={"accept": PICTURE_TYPES})


class CoverForm(FlaskForm):
    cover = FileField("New cover photo", render_kw={"accept": PICTURE_TYPES})
