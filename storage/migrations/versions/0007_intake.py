"""intake: drop inbound_events; Slack's Events API de-duplication is the inbox's (keyed by event id).

Revision ID: 0007_intake
Revises: 0006_inbox
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_intake"
down_revision = "0006_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("inbound_events")


def downgrade() -> None:
    op.create_table(
        "inbound_events",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_inbound_events")),
    )
