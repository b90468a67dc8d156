"""organisation: each person's manager and start date; work anniversary notices

``users.manager_id`` names the person's manager (the accounts service clears it before the
manager's account is deleted) and is indexed, so a person's direct reports are one index
look-up. ``start_date`` is the day the person joined; ``start_month`` and ``start_day``
repeat its month and day (the model keeps them in step) so work anniversaries are found
like birthdays: one indexed ``(month, day)`` look-up per day of the window.
``anniversary_notices`` holds one row per person per work anniversary noted, like
``birthday_notices``.

On ``users`` only columns and indexes are added (``ALTER TABLE ... ADD COLUMN`` on SQLite
too), so the table is not rebuilt (on SQLite a rebuild would cascade deletions through
every table that references it) and migration 0004's search triggers stay in place; the
downgrade drops the columns in place too.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 16:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import intranet_social.core.models

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column that references another only with the reference written in
        # the column's own definition; Alembic would rebuild the table for it instead
        op.execute(
            "ALTER TABLE users ADD COLUMN manager_id INTEGER"
            " CONSTRAINT fk_users_manager_id_users REFERENCES users (id)"
        )
    else:
        op.add_column("users", sa.Column("manager_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_users_manager_id_users"),
            "users",
            "users",
            ["manager_id"],
            ["id"],
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("start_month", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("start_day", sa.Integer(), nullable=True))
        batch_op.create_index("ix_users_manager_id", ["manager_id"], unique=False)
        batch_op.create_index("ix_users_anniversary", ["start_month", "start_day"], unique=False)
    op.create_table(
        "anniversary_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("celebrated_on", sa.Date(), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", intranet_social.core.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_anniversary_notices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anniversary_notices")),
        sa.UniqueConstraint(
            "user_id", "celebrated_on", name=op.f("uq_anniversary_notices_user_id")
        ),
    )


COLUMNS = ("start_day", "start_month", "start_date", "manager_id")


def downgrade():
    op.drop_table("anniversary_notices")
    op.drop_index("ix_users_anniversary", table_name="users")
    op.drop_index("ix_users_manager_id", table_name="users")
    if op.get_bind().dialect.name == "sqlite":
        # dropped in place: a rebuilt table would cascade the deletion of every user's rows
        for column in COLUMNS:
            op.execute(f"ALTER TABLE users DROP COLUMN {column}")
        return
    op.drop_constraint(op.f("fk_users_manager_id_users"), "users", type_="foreignkey")
    for column in COLUMNS:
        op.drop_column("users", column)
