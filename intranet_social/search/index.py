"""The full-text indexes, which no model describes: SQLite's FTS5 tables (migration 0004)
and PostgreSQL's ``search_vector`` columns of ``posts`` and ``users`` with their GIN indexes
(migration 0005).

An FTS5 table comes with shadow tables of its own; schema comparisons (Alembic's
autogenerate, the migrations test) leave exactly these out, and nothing else.
"""

from __future__ import annotations

FULLTEXT_TABLES = ("people_fts", "posts_fts")
#: PostgreSQL's stored word vectors and their indexes
VECTOR_COLUMN = "search_vector"
VECTOR_INDEXES = ("ix_posts_search_vector", "ix_users_search_vector")
#: the tables FTS5 keeps beside each index (``_content`` only without external content)
SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")


def is_fulltext_table(name: str) -> bool:
    """Whether ``name`` is a full-text index table or one of its shadow tables."""
    return any(
        name == index or name in (index + suffix for suffix in SHADOW_SUFFIXES)
        for index in FULLTEXT_TABLES
    )


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: compare everything but the full-text indexes."""
    if type_ == "table":
        return not (name is not None and is_fulltext_table(name))
    if type_ == "column":
        return name != VECTOR_COLUMN
    return not (type_ == "index" and name in VECTOR_INDEXES)
