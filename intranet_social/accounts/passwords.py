"""Password hashing (Argon2id), the password policy and one-time passwords."""

from __future__ import annotations

import secrets
import string
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from intranet_social.core.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 256
# Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): each check holds
# its memory while it runs, and a server checks several sign-ins at once, so 64 MiB each
# (the library's default) would dominate the server's memory under a burst of sign-ins.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_OTP_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
_STRIP = string.digits + string.punctuation + " "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list: zxcvbn's 30,000 most common passwords plus our own additions."""
    # Imported here: zxcvbn's lists take 12 MB, and only setting a password needs them.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    extra = resources.files("intranet_social.accounts").joinpath("data/extra-common-passwords.txt")
    words = {
        line.strip().lower()
        for line in extra.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    words.update(word.lower() for word in FREQUENCY_LISTS["passwords"])
    return frozenset(words)


def _is_common(password: str) -> bool:
    lowered = password.lower()
    candidates = {lowered, lowered.rstrip(_STRIP), lowered.lstrip(_STRIP), lowered.strip(_STRIP)}
    common = common_passwords()
    if any(candidate in common for candidate in candidates if candidate):
        return True
    # One character repeated, or a run like "1234567890" / "abcdefghij", is never a password.
    return len(set(lowered)) <= 2


def check_password_policy(
    password: str, *, username: str = "", email: str = "", field: str = "password"
) -> None:
    """Raise :class:`Invalid` naming ``field`` when the password is not allowed."""
    if len(password) < MIN_LENGTH:
        raise Invalid(f"Use at least {MIN_LENGTH} characters.", field)
    if len(password) > MAX_LENGTH:
        raise Invalid(f"Use at most {MAX_LENGTH} characters.", field)
    lowered = password.lower()
    personal = {username.lower(), email.lower(), email.lower().split("@", 1)[0]} - {""}
    if any(lowered == item or lowered.strip(_STRIP) == item for item in personal):
        raise Invalid("Do not use your username or e-mail address as your password.", field)
    if _is_common(password):
        raise Invalid(
            "This password is on the list of commonly used passwords; choose another.", field
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a random password, verified when the account does not exist, so a wrong
    username costs as much time as a wrong password and reveals nothing."""
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-effort check; a missing hash still spends the time of one verification."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def generate_one_time_password() -> str:
    """A random password to hand over once: 20 characters in groups, no look-alike characters."""
    raw = "".join(secrets.choice(_OTP_ALPHABET) for _ in range(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))
