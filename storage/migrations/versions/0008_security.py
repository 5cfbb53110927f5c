"""security: room for sealed titles (confidential teams' text is encrypted) and the privacy log.

Revision ID: 0008_security
Revises: 0006_inbox
"""
from alembic import op
import sqlalchemy as sa

from storage.types import JSONType, UTCDateTime

revision = "0008_security"
down_revision = "0006_inbox"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _postgresql() -> bool:
    # SQLite does not enforce VARCHAR lengths, and rebuilding its tickets table would cascade-delete
    # the rows that reference it: the column is widened on PostgreSQL only.
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgresql():
        op.alter_column("tickets", "title", existing_type=sa.String(length=150), type_=sa.Text(),
                        existing_nullable=False)
    op.create_table(
        "privacy_requests",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("operator", sa.String(length=120), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("details", JSONType, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_requests")),
    )


def downgrade() -> None:
    op.drop_table("privacy_requests")
    if _postgresql():
        op.alter_column("tickets", "title", existing_type=sa.Text(), type_=sa.String(length=150),
                        existing_nullable=False)
