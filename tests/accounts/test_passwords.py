"""The password policy, hashing and one-time passwords."""

import pytest

from intranet_social.accounts import passwords
from intranet_social.core.errors import Invalid


@pytest.mark.parametrize(
    "candidate",
    [
        "password",
        "admin",
        "123456",
        "password1234",
        "Password123!",
        "qwertyuiop",
        "1234567890",
        "administrator",
        "iloveyou123",
        "aaaaaaaaaaaa",
        "letmein2026!",
    ],
)
def test_common_and_short_passwords_are_refused(candidate):
    with pytest.raises(Invalid) as error:
        passwords.check_password_policy(candidate, username="erin", email="erin@corp.example")
    assert error.value.field == "password"


def test_shipped_list_has_at_least_ten_thousand_entries():
    common = passwords.common_passwords()
    assert len(common) >= 10_000
    assert {"password", "admin", "123456", "12345678", "qwerty"} <= common


def test_password_equal_to_username_or_email_is_refused():
    for candidate in ("erin.longname", "Erin.Longname", "erin.longname@corp.example"):
        with pytest.raises(Invalid, match="username or e-mail"):
            passwords.check_password_policy(
                candidate, username="erin.longname", email="erin.longname@corp.example"
            )


def test_policy_names_the_field_it_was_given():
    with pytest.raises(Invalid) as error:
        passwords.check_password_policy("short", field="new_password")
    assert error.value.field == "new_password"
    assert "10 characters" in error.value.message


def test_a_long_uncommon_password_is_accepted():
    passwords.check_password_policy(
        "violet-harbour-lantern-42", username="erin", email="erin@corp.example"
    )


def test_hash_is_argon2id_and_verifies():
    hashed = passwords.hash_password("violet-harbour-lantern-42")
    assert hashed.startswith("$argon2id$")
    assert "violet" not in hashed
    assert passwords.verify_password(hashed, "violet-harbour-lantern-42")
    assert not passwords.verify_password(hashed, "violet-harbour-lantern-43")
    assert not passwords.verify_password(None, "anything")
    assert not passwords.verify_password("not-a-hash", "anything")


def test_one_time_passwords_are_random_and_pass_the_policy():
    seen = {passwords.generate_one_time_password() for _ in range(50)}
    assert len(seen) == 50
    for one_time in seen:
        assert len(one_time) == 23
        passwords.check_password_policy(one_time, username="erin", email="erin@corp.example")
