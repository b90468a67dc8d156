"""Domain errors raised by services; each face (pages, API, CLI) maps them to its own answer."""


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    code = "invalid"
    status = 422


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


class PasswordChangeRequired(DomainError):
    code = "password_change_required"
    status = 403
