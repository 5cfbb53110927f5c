"""email: the Message-ID map, attachments, raw mail awaiting processing, the fetch state.

Revision ID: 0010_email
Revises: 0006_inbox
"""
from alembic import op
import sqlalchemy as sa

from storage.types import JSONType, UTCDateTime

revision = "0010_email"
down_revision = "0006_inbox"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "email_mail",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("ticket_id", BigId, nullable=True),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("participants", JSONType, nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("acked", sa.Boolean(), nullable=False),
        sa.Column("outbox_id", BigId, nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_email_mail_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_mail")),
        sa.UniqueConstraint("message_id", name=op.f("uq_email_mail_message_id")),
    )
    op.create_index("ix_email_mail_ticket_id", "email_mail", ["ticket_id"])
    op.create_index("ix_email_mail_address", "email_mail", ["address", "direction", "created_at"])
    op.create_table(
        "email_attachments",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_email_attachments_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_attachments")),
    )
    op.create_index("ix_email_attachments_ticket_id", "email_attachments", ["ticket_id"])
    op.create_table(
        "email_raw",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("uid", sa.String(length=40), nullable=False),
        sa.Column("folder", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("headers", sa.LargeBinary(), nullable=True),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_email_raw")),
    )
    op.create_table(
        "email_fetch",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_email_fetch")),
    )


def downgrade() -> None:
    op.drop_table("email_fetch")
    op.drop_table("email_raw")
    op.drop_index("ix_email_attachments_ticket_id", table_name="email_attachments")
    op.drop_table("email_attachments")
    op.drop_index("ix_email_mail_address", table_name="email_mail")
    op.drop_index("ix_email_mail_ticket_id", table_name="email_mail")
    op.drop_table("email_mail")
