"""search: full-text indexes of posts and people

On SQLite: two external-content FTS5 tables, ``posts_fts`` over ``posts.body`` and
``people_fts`` over the name, username, department and title of ``users``, kept in step by
triggers on insert, delete and update of the indexed columns, and filled from the existing
rows. The indexes store no copy of the text, only the index itself.

A later migration that rebuilds ``posts`` or ``users`` in batch mode (copy, drop, rename)
drops these triggers with the old table and must create them again; a test checks they exist.

On PostgreSQL nothing is created yet: search there uses plain ``LIKE`` filters until the
PostgreSQL work adds a full-text index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 03:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TOKENIZER = "unicode61 remove_diacritics 2"
PEOPLE_COLUMNS = ("name", "username", "department", "title")

STATEMENTS = (
    f"CREATE VIRTUAL TABLE posts_fts USING fts5("
    f"body, content='posts', content_rowid='id', tokenize='{TOKENIZER}')",
    "CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN"
    " INSERT INTO posts_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN"
    " INSERT INTO posts_fts(posts_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER posts_fts_update AFTER UPDATE OF body ON posts BEGIN"
    " INSERT INTO posts_fts(posts_fts, rowid, body) VALUES ('delete', old.id, old.body);"
    " INSERT INTO posts_fts(rowid, body) VALUES (new.id, new.body); END",
    "INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')",
    f"CREATE VIRTUAL TABLE people_fts USING fts5("
    f"{', '.join(PEOPLE_COLUMNS)}, content='users', content_rowid='id',"
    f" prefix='1 2 3', tokenize='{TOKENIZER}')",
    "CREATE TRIGGER people_fts_insert AFTER INSERT ON users BEGIN"
    " INSERT INTO people_fts(rowid, name, username, department, title)"
    " VALUES (new.id, new.name, new.username, new.department, new.title); END",
    "CREATE TRIGGER people_fts_delete AFTER DELETE ON users BEGIN"
    " INSERT INTO people_fts(people_fts, rowid, name, username, department, title)"
    " VALUES ('delete', old.id, old.name, old.username, old.department, old.title); END",
    "CREATE TRIGGER people_fts_update AFTER UPDATE OF name, username, department, title"
    " ON users BEGIN"
    " INSERT INTO people_fts(people_fts, rowid, name, username, department, title)"
    " VALUES ('delete', old.id, old.name, old.username, old.department, old.title);"
    " INSERT INTO people_fts(rowid, name, username, department, title)"
    " VALUES (new.id, new.name, new.username, new.department, new.title); END",
    "INSERT INTO people_fts(people_fts) VALUES ('rebuild')",
)


def _on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    if not _on_sqlite():
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    if not _on_sqlite():
        return
    for table in ("posts", "people"):
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
