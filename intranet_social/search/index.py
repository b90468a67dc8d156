"""The full-text index tables (migration 0004), which no model describes.

An FTS5 table comes with shadow tables of its own; schema comparisons (Alembic's
autogenerate, the migrations test) leave exactly these out, and nothing else.
"""

from __future__ import annotations

FULLTEXT_TABLES = ("people_fts", "posts_fts")
#: the tables FTS5 keeps beside each index (``_content`` only without external content)
SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")


def is_fulltext_table(name: str) -> bool:
    """Whether ``name`` is a full-text index table or one of its shadow tables."""
    return any(
        name == index or name in (index + suffix for suffix in SHADOW_SUFFIXES)
        for index in FULLTEXT_TABLES
    )


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: compare every table but the full-text ones."""
    return not (type_ == "table" and name is not None and is_fulltext_table(name))
