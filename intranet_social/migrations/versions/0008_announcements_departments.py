"""announcements and departments: must-read posts and their acknowledgements, department
spaces, space avatars and covers, muted space memberships

``posts.must_read`` marks a must-read announcement; ``post_acknowledgements`` holds each
reader's "I have read this". The ``(must_read, id)`` index finds the few must-read posts
without reading the rest. ``spaces.department`` links a department space to the department
whose people are its members; ``avatar_key`` and ``cover_key`` name its stored images, as on
``users``. ``space_members.muted`` silences the notification for each new post in a space.

Columns are added in place (``ALTER TABLE ... ADD COLUMN`` on SQLite too), so neither
``posts`` nor ``spaces`` is rebuilt: a rebuilt table would cascade deletions through the
tables that reference it and lose migration 0004's search triggers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

import intranet_social.core.models

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # plain op.add_column is ALTER TABLE ... ADD COLUMN on SQLite too; the default is a
    # literal ('0' reads as false on both databases) so nothing asks for a rebuilt table
    op.add_column("posts", sa.Column("must_read", sa.Boolean(), nullable=False, server_default="0"))
    op.create_index("ix_posts_must_read", "posts", ["must_read", "id"])
    op.add_column("spaces", sa.Column("avatar_key", sa.String(length=64), nullable=True))
    op.add_column("spaces", sa.Column("cover_key", sa.String(length=64), nullable=True))
    op.add_column("spaces", sa.Column("department", sa.String(length=100), nullable=True))
    op.create_index("ix_spaces_department", "spaces", ["department"])
    op.add_column(
        "space_members", sa.Column("muted", sa.Boolean(), nullable=False, server_default="0")
    )
    op.create_table(
        "post_acknowledgements",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "acknowledged_at",
            intranet_social.core.models.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_acknowledgements_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_post_acknowledgements_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "user_id", name=op.f("pk_post_acknowledgements")),
    )
    op.create_index(
        "ix_post_acknowledgements_user_id", "post_acknowledgements", ["user_id", "post_id"]
    )


def downgrade():
    op.drop_index("ix_post_acknowledgements_user_id", table_name="post_acknowledgements")
    op.drop_table("post_acknowledgements")
    op.drop_index("ix_spaces_department", table_name="spaces")
    op.drop_index("ix_posts_must_read", table_name="posts")
    if op.get_bind().dialect.name == "sqlite":
        # dropped in place: a rebuilt table would cascade deletions through its references
        op.execute("ALTER TABLE space_members DROP COLUMN muted")
        for column in ("department", "cover_key", "avatar_key"):
            op.execute(f"ALTER TABLE spaces DROP COLUMN {column}")
        op.execute("ALTER TABLE posts DROP COLUMN must_read")
        return
    op.drop_column("space_members", "muted")
    for column in ("department", "cover_key", "avatar_key"):
        op.drop_column("spaces", column)
    op.drop_column("posts", "must_read")
