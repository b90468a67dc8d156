"""Flask-WTF forms of the account pages. Rules live in the services; forms only shape input."""

from flask_wtf import FlaskForm

# SelectChoice is new in WTForms 3.3, which deprecates (value, label) tuples; typeshed's stubs
# are for 3.2 and lack it.
from wtforms import (  # type: ignore[attr-defined]
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class LoginForm(FlaskForm):
    username = StringField(
        "Username or e-mail",
        validators=[DataRequired("Enter your username or e-mail address."), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired("Choose a username."), Length(max=32)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
        description="3 to 32 lower-case letters, digits, dots, dashes or underscores.",
    )
    email = StringField(
        "Work e-mail",
        validators=[DataRequired("Enter your e-mail address."), Length(max=254)],
        render_kw={"autocomplete": "email", "type": "email"},
    )
    name = StringField(
        "Full name",
        validators=[DataRequired("Enter your name."), Length(max=100)],
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Choose a password."), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
        description="At least 10 characters; not a common password, not your username.",
    )
    password_confirm = PasswordField(
        "Password again",
        validators=[DataRequired("Type the password again."), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    invite = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a new password."), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
        description="At least 10 characters; not a common password, not your username.",
    )
    new_password_confirm = PasswordField(
        "New password again",
        validators=[DataRequired("Type the new password again."), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[DataRequired("Name the token after what will use it."), Length(max=100)],
    )
    scope = SelectField(
        "Scope",
        choices=[
            SelectChoice("read", "Read"),
            SelectChoice("write", "Read and write"),
            SelectChoice("admin", "Admin"),
        ],
        default="read",
    )
    expires_days = IntegerField(
        "Expires after (days)",
        validators=[Optional(), NumberRange(1, 3650, "Choose 1 to 3650 days.")],
        default=90,
    )


class ActionForm(FlaskForm):
    """An empty form: a POST button with its CSRF token."""
