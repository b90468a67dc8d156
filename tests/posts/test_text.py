"""Formatting people's text: escaped, links and mentions clickable, line breaks kept."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from intranet_social.core.text import all_mentions, format_text, mentioned_usernames

KNOWN = {"ana", "bo.friend"}


def test_everything_is_escaped():
    html = format_text('<script>alert("x")</script> & <b>bold</b>', KNOWN)
    assert isinstance(html, Markup)
    assert "<script>" not in html and "<b>" not in html
    assert html == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"


def test_line_breaks_are_kept_whatever_the_line_ending():
    assert format_text("one\ntwo\r\nthree\rfour", KNOWN) == "one<br>\ntwo<br>\nthree<br>\nfour"


@pytest.mark.parametrize(
    ("text", "url", "after"),
    [
        ("see https://wiki.corp.example/page", "https://wiki.corp.example/page", ""),
        ("see https://wiki.corp.example/page.", "https://wiki.corp.example/page", "."),
        ("(at http://intranet/x?a=1&b=2)", "http://intranet/x?a=1&amp;b=2", ")"),
        ("https://en.example/Foo_(bar), yes", "https://en.example/Foo_(bar)", ", yes"),
    ],
)
def test_http_links_become_links_without_trailing_punctuation(text, url, after):
    html = format_text(text, KNOWN)
    assert f'<a href="{url}" rel="nofollow noopener">{url}</a>{after}' in html


def test_other_schemes_are_not_links():
    html = format_text("javascript:alert(1) and ftp://files/x and data:text/html,hi", KNOWN)
    assert "<a" not in html


def test_a_link_cannot_break_out_of_its_attribute():
    html = format_text('https://x.example/"onmouseover="alert(1)', KNOWN)
    assert 'href="https://x.example/"' in html
    assert '"onmouseover' not in html.replace("&#34;onmouseover", "")


def test_mentions_of_existing_people_link_to_their_profile():
    html = format_text("Thanks @Ana and @bo.friend. Not @nobody or mail ana@corp.example", KNOWN)
    assert '<a href="/u/ana" class="mention">@Ana</a>' in html
    assert '<a href="/u/bo.friend" class="mention">@bo.friend</a>.' in html
    assert "@nobody" in html and "/u/nobody" not in html
    assert "/u/corp" not in html


def test_mentioned_usernames_are_lower_cased_and_collected():
    assert mentioned_usernames("hi @Ana, @bo.friend! x@y.z @ab") == {"ana", "bo.friend"}
    assert all_mentions(["@ana", "@cyd and @ana"]) == {"ana", "cyd"}
