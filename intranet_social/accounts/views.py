"""Account pages: sign in and out, registration, password change, sessions and tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from intranet_social.accounts import auth, registration, service, tokens
from intranet_social.accounts.forms import (
    ActionForm,
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    TokenForm,
)
from intranet_social.accounts.models import Status
from intranet_social.core.errors import DomainError, Forbidden, RateLimited
from intranet_social.core.forms import apply_error, safe_next
from intranet_social.core.transaction import keep_changes
from intranet_social.extensions import limiter

bp = Blueprint("accounts", __name__, template_folder="templates")

LOGIN_LIMIT_PER_IP = "20 per minute"
LOGIN_LIMIT_PER_ACCOUNT = "10 per minute"
REGISTER_LIMIT_PER_IP = "10 per hour"


def _login_account_key() -> str:
    return "login:" + (request.form.get("username") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT_PER_IP, methods=["POST"])
@limiter.limit(LOGIN_LIMIT_PER_ACCOUNT, key_func=_login_account_key, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 422 if form.errors else 200
    try:
        user = service.authenticate(form.username.data or "", form.password.data or "")
    except DomainError as error:
        keep_changes()  # the failure count and the security event stay
        apply_error(form, error)
        page = render_template("accounts/login.html", form=form)
        if isinstance(error, RateLimited):
            retry_after = int(service.LOCKOUT_DURATION.total_seconds())
            return page, 429, {"Retry-After": str(retry_after)}
        return page, 422
    auth.sign_in(user)
    if user.must_change_password:
        flash("Welcome! Choose your own password before you go on.", "info")
        return redirect(url_for("accounts.change_password"))
    return redirect(safe_next(request.args.get("next")))


@bp.post("/logout")
def logout() -> Response:
    auth.sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(REGISTER_LIMIT_PER_IP, methods=["POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("feed.home"))
    mode = registration.registration_mode()
    form = RegisterForm()
    if request.method == "GET":
        form.invite.data = request.args.get("invite", "")
    if mode == "closed":
        return render_template("accounts/register.html", form=form, mode=mode), 403
    if not form.validate_on_submit():
        return render_template("accounts/register.html", form=form, mode=mode), (
            422 if form.errors else 200
        )
    try:
        user = registration.register(
            username=form.username.data or "",
            email=form.email.data or "",
            name=form.name.data or "",
            password=form.password.data or "",
            password_confirm=form.password_confirm.data or "",
            invite_code=form.invite.data or request.args.get("invite", ""),
        )
    except DomainError as error:
        apply_error(form, error)
        status = 403 if isinstance(error, Forbidden) else 422
        return render_template("accounts/register.html", form=form, mode=mode), status
    if user.status == Status.PENDING:
        flash("Thanks! An admin will approve your account; then you can sign in.", "success")
        return redirect(url_for("accounts.login"))
    auth.sign_in(user)
    flash(f"Welcome, {user.name}!", "success")
    return redirect(url_for("feed.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    forced = current_user.must_change_password
    if not form.validate_on_submit():
        return render_template("accounts/change_password.html", form=form, forced=forced), (
            422 if form.errors else 200
        )
    try:
        service.change_password(
            current_user,
            form.current_password.data or "",
            form.new_password.data or "",
            form.new_password_confirm.data or "",
            keep_key=auth.current_session_key(),
        )
    except DomainError as error:
        apply_error(form, error)
        return render_template("accounts/change_password.html", form=form, forced=forced), 422
    flash("Your password is changed. Other browsers signed in as you were signed out.", "success")
    return redirect(url_for("feed.home"))


@bp.get("/account")
@login_required
def account() -> tuple[str, int]:
    return _render_account(TokenForm())


def _render_account(
    token_form: TokenForm, new_token: str | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "accounts/account.html",
        sessions=service.list_sessions(current_user),
        current_session_id=service.current_session_id(auth.current_session_key()),
        tokens=tokens.list_tokens(current_user),
        token_form=token_form,
        action_form=ActionForm(),
        new_token=new_token,
    ), status


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        return redirect(url_for("accounts.account"))
    service.end_session_by_id(current_user, session_id)
    flash("That session is signed out.", "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/sessions/end-all")
@login_required
def end_all_sessions() -> Response:
    user = auth.signed_in_user()
    service.end_all_sessions(user)
    auth.sign_out()
    flash("You are signed out everywhere.", "info")
    return redirect(url_for("accounts.login"))


@bp.post("/account/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_account(form, status=422)
    try:
        new = tokens.create_token(
            current_user,
            name=form.name.data or "",
            scope=form.scope.data,
            expires_days=form.expires_days.data,
        )
    except DomainError as error:
        apply_error(form, error)
        return _render_account(form, status=422)
    return _render_account(TokenForm(formdata=None), new_token=new.secret)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    tokens.revoke_token(current_user, token_id)
    flash("The token is revoked.", "success")
    return redirect(url_for("accounts.account"))
