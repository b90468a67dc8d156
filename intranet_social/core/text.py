"""People's text made safe to show: everything escaped, links and @mentions made clickable,
line breaks kept.

Formatting takes the set of usernames that exist, so a page formats all its texts after one
query for every name they mention (see :func:`mentioned_usernames`); a mention of nobody stays
plain text. Links open nothing by themselves: they carry ``rel="nofollow noopener"``.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache

from markupsafe import Markup, escape

#: an http(s) address up to the next space or character that cannot be part of one
LINK = r"https?://[^\s<>\"'`]+"
#: ``@name`` where name is a possible username, not inside a word or an e-mail address
MENTION = r"(?<![\w@./-])@([A-Za-z0-9][A-Za-z0-9._-]{1,30}[A-Za-z0-9])(?![\w-])"
TOKEN_RE = re.compile(f"(?P<link>{LINK})|(?P<mention>{MENTION})")
MENTION_RE = re.compile(MENTION)
#: punctuation that ends a sentence rather than a link: "see https://wiki/x." links to /x
TRAILING_PUNCTUATION = ".,;:!?"
BRACKETS = {")": "(", "]": "["}


@lru_cache(maxsize=8192)
def _mentions(text: str) -> frozenset[str]:
    # pages show the same texts again and again, and look for mentions in each every time
    return frozenset(match.group(1).lower() for match in MENTION_RE.finditer(text))


def mentioned_usernames(text: str) -> set[str]:
    """The lower-cased names ``text`` mentions with ``@name`` (they may not exist)."""
    return set(_mentions(text or ""))


def all_mentions(texts: Iterable[str]) -> set[str]:
    """Every name mentioned in any of ``texts``."""
    names: set[str] = set()
    for text in texts:
        names |= _mentions(text or "")
    return names


def _trim_link(url: str) -> str:
    """Drop trailing punctuation and closing brackets that the link does not open."""
    while url:
        last = url[-1]
        unopened = last in BRACKETS and url.count(last) > url.count(BRACKETS[last])
        if last not in TRAILING_PUNCTUATION and not unopened:
            break
        url = url[:-1]
    return url


def _link(url: str) -> Markup:
    return Markup('<a href="{0}" rel="nofollow noopener">{0}</a>').format(url)


def format_text(text: str, usernames: Container[str]) -> Markup:
    """``text`` as HTML: escaped, with http(s) links, mentions of ``usernames`` linked to
    their profiles (``/u/<name>``) and line breaks as ``<br>``."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    parts: list[str] = []
    position = 0
    for match in TOKEN_RE.finditer(text):
        start = match.start()
        if match.group("link"):
            url = _trim_link(match.group("link"))
            if "://" not in url or url.endswith("://"):
                continue
            parts.append(escape(text[position:start]))
            parts.append(_link(url))
            position = start + len(url)
        else:
            name = match.group(3).lower()
            if name not in usernames:
                continue
            parts.append(escape(text[position:start]))
            parts.append(
                Markup('<a href="/u/{0}" class="mention">@{1}</a>').format(name, match.group(3))
            )
            position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts).replace("\n", Markup("<br>\n"))
