"""search on PostgreSQL: stored word vectors of posts and people with GIN indexes

On PostgreSQL: a generated, stored ``search_vector`` column on ``posts`` (the body) and on
``users`` (name, username, department and title), each with a GIN index. The database
computes the vector on every insert and update, so no code and no trigger keeps it in step,
and a search reads it instead of re-parsing text: the planner may also walk the posts newest
first and check each stored vector, which is what it does for common words.

The vectors follow migration 0004's SQLite index: a word is a run of letters and digits
(ASCII punctuation becomes a space first, so ``anna@corp.example`` or ``sid.stranger`` are
several words, not one e-mail or host token), lower-cased, without diacritics where the
``unaccent`` extension can be had, and never stemmed nor dropped as a stop word: posts of one
organisation mix languages, and an English (or any one language's) configuration would stem
the other languages' words wrongly and drop that language's short words only. The text search
configuration ``social_search`` (a copy of ``simple``) holds these rules.

``unaccent`` ships with PostgreSQL and is a trusted extension, which the database's owner may
create; where it cannot be created the configuration is plain ``simple`` and words with
diacritics only find themselves. The downgrade leaves the extension in place.

On SQLite nothing changes: migration 0004's FTS5 tables serve search there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 04:30:00.000000

"""

import string

from alembic import op
from sqlalchemy.exc import DBAPIError

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CONFIGURATION = "social_search"
_PUNCTUATION = string.punctuation.replace("'", "''")
_SPACES = " " * len(string.punctuation)


def _vector(text: str) -> str:
    return (
        f"to_tsvector('{CONFIGURATION}'::regconfig,"
        f" translate({text}, '{_PUNCTUATION}', '{_SPACES}'))"
    )


VECTORS = {
    "posts": _vector("body"),
    "users": _vector("name || ' ' || username || ' ' || department || ' ' || title"),
}


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _unaccent_available() -> bool:
    """Create the ``unaccent`` extension if missing; ``False`` when it cannot be."""
    connection = op.get_bind()
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DBAPIError:
        return False
    return True


def upgrade():
    if not _on_postgresql():
        return
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = pg_catalog.simple)")
    if _unaccent_available():
        op.execute(
            # after the punctuation is gone only these kinds of token carry letters
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION}"
            " ALTER MAPPING FOR asciiword, word, numword WITH unaccent, simple"
        )
    for table, vector in VECTORS.items():
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector"
            f" GENERATED ALWAYS AS ({vector}) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")


def downgrade():
    if not _on_postgresql():
        return
    for table in VECTORS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION}")
