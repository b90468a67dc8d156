"""Default avatars: initials of a name on a stable colour readable with white text."""

from __future__ import annotations

import pytest

from intranet_social.media import avatars


@pytest.mark.parametrize(
    ("name", "username", "expected"),
    [
        ("Ana Maria Member", "ana", "AM"),
        ("ola", "ola", "O"),
        ("Jo van (Smith)", "jo", "JS"),
        ("Ægir Østergaard", "aegir", "ÆØ"),
        ("  ", "zoe", "Z"),
        ("Straße", "s", "S"),
        ("<script>", "mal", "S"),
        ("--- ...", "7up", "7"),
    ],
)
def test_initials_are_one_or_two_capitals(name, username, expected):
    assert avatars.initials(name, username) == expected
    assert avatars.valid_initials(expected)


def test_colour_is_the_same_for_the_same_person():
    assert avatars.colour_index("ana.member") == avatars.colour_index("ana.member")
    assert {avatars.colour_index(f"user{i}") for i in range(200)} == set(
        range(len(avatars.PALETTE))
    )


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


@pytest.mark.parametrize("colour", avatars.PALETTE)
def test_white_initials_meet_contrast_on_every_colour(colour):
    ratio = (_luminance(avatars.TEXT_COLOUR) + 0.05) / (_luminance(colour) + 0.05)
    assert ratio >= 4.5


@pytest.mark.parametrize("text", ["", "ABC", "<", "A B", "?"])
def test_made_up_initials_are_refused(text):
    assert not avatars.valid_initials(text)
