"""spaces: spaces, their members with a role, requests to join, and posts in a space

``posts.space_id`` names the space a post was written in (``NULL`` for a post on a wall).
The reference has no ``ON DELETE`` action: posts deletes a space's posts and their files
itself when the space is deleted (the ``space_deleting`` event), and SQLite does not report
the action of a reference added with its column, so the schema could not be compared with the
models. The ``(space_id, id, audience)`` index serves a space's feed, newest first; the
``(author_id, id)`` index gains the audience, so the feed's friend arms, which now leave out
space posts, still read the index alone.

The column is added in place (``ALTER TABLE ... ADD COLUMN`` on SQLite too), as migration
0006 does for ``users``: a rebuilt ``posts`` table would cascade deletions through the
likes, comments and media that reference it and lose migration 0004's search triggers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 16:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

import intranet_social.core.models

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=8), nullable=False),
        sa.Column(
            "created_at", intranet_social.core.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spaces")),
        sa.UniqueConstraint("slug", name=op.f("uq_spaces_slug")),
    )
    op.create_index("ix_spaces_visibility", "spaces", ["visibility", "id"])
    op.create_table(
        "space_members",
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column(
            "joined_at", intranet_social.core.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_space_members_space_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_space_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("space_id", "user_id", name=op.f("pk_space_members")),
    )
    op.create_index("ix_space_members_user_id", "space_members", ["user_id", "space_id"])
    op.create_table(
        "space_join_requests",
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", intranet_social.core.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_space_join_requests_space_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_space_join_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("space_id", "user_id", name=op.f("pk_space_join_requests")),
    )
    op.create_index("ix_space_join_requests_user_id", "space_join_requests", ["user_id"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column that references another only with the reference written in
        # the column's own definition; Alembic would rebuild the table for it instead
        op.execute(
            "ALTER TABLE posts ADD COLUMN space_id INTEGER"
            " CONSTRAINT fk_posts_space_id_spaces REFERENCES spaces (id)"
        )
    else:
        op.add_column("posts", sa.Column("space_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_posts_space_id_spaces"),
            "posts",
            "spaces",
            ["space_id"],
            ["id"],
        )
    op.create_index("ix_posts_space_id_id", "posts", ["space_id", "id", "audience"])
    # the feed reads a friend's newest posts whose audience a friend may see (not their
    # space posts): with the audience in the index that stays a read of the index alone
    op.drop_index("ix_posts_author_id_id", table_name="posts")
    op.create_index("ix_posts_author_id_id", "posts", ["author_id", "id", "audience"])


def downgrade():
    op.drop_index("ix_posts_author_id_id", table_name="posts")
    op.create_index("ix_posts_author_id_id", "posts", ["author_id", "id"])
    op.drop_index("ix_posts_space_id_id", table_name="posts")
    if op.get_bind().dialect.name == "sqlite":
        # dropped in place, its reference with it: a rebuilt table would cascade the
        # deletion of every post's rows
        op.execute("ALTER TABLE posts DROP COLUMN space_id")
    else:
        op.drop_constraint(op.f("fk_posts_space_id_spaces"), "posts", type_="foreignkey")
        op.drop_column("posts", "space_id")
    op.drop_index("ix_space_join_requests_user_id", table_name="space_join_requests")
    op.drop_table("space_join_requests")
    op.drop_index("ix_space_members_user_id", table_name="space_members")
    op.drop_table("space_members")
    op.drop_index("ix_spaces_visibility", table_name="spaces")
    op.drop_table("spaces")
