"""accounts: user names unique regardless of case; failed sign-ins kept in the database

Revision ID: 0008_accounts
Revises: 0002_security
"""

import sqlalchemy as sa
from alembic import op

from sijill.errors import SijillError

revision = "0008_accounts"
down_revision = "0002_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    same_but_case = sa.text(
        "SELECT name FROM users WHERE lower(name) IN "
        "(SELECT lower(name) FROM users GROUP BY lower(name) HAVING count(*) > 1) "
        "ORDER BY lower(name), name"
    )
    clashes = op.get_bind().execute(same_but_case).scalars().all()
    if clashes:
        raise SijillError(
            "user names must now be unique regardless of case, and these differ only in case: "
            f"{', '.join(clashes)}; rename all but one of each (in the users table) and run "
            "`sijill init` again"
        )
    op.create_index("uq_users_name_lower", "users", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_key", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(
        "ix_login_failures_key", "login_failures", ["user_key", "address", "at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_login_failures_key", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index("uq_users_name_lower", table_name="users")
