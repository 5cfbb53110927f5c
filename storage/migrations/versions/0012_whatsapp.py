"""whatsapp: contacts (window, conversation state), sent messages (wamid, status), kept media.

Revision ID: 0012_whatsapp
Revises: 0006_inbox
"""
from alembic import op
import sqlalchemy as sa

from storage.types import JSONType, UTCDateTime

revision = "0012_whatsapp"
down_revision = "0006_inbox"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "whatsapp_contacts",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("lang", sa.String(length=10), nullable=True),
        sa.Column("last_inbound_at", UTCDateTime(), nullable=True),
        sa.Column("pending", JSONType, nullable=False),
        sa.Column("templated", JSONType, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_whatsapp_contacts")),
    )
    op.create_table(
        "whatsapp_messages",
        sa.Column("wamid", sa.String(length=255), nullable=False),
        sa.Column("outbox_id", BigId, nullable=True),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_whatsapp_messages_outbox_id_outbox"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("wamid", name=op.f("pk_whatsapp_messages")),
    )
    op.create_index(op.f("ix_whatsapp_messages_outbox_id"), "whatsapp_messages", ["outbox_id"])
    op.create_table(
        "whatsapp_media",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("ticket_id", BigId, nullable=True),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("wamid", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mime", sa.String(length=120), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_whatsapp_media_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_media")),
        sa.UniqueConstraint("wamid", name=op.f("uq_whatsapp_media_wamid")),
    )
    op.create_index(op.f("ix_whatsapp_media_ticket_id"), "whatsapp_media", ["ticket_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_whatsapp_media_ticket_id"), table_name="whatsapp_media")
    op.drop_table("whatsapp_media")
    op.drop_index(op.f("ix_whatsapp_messages_outbox_id"), table_name="whatsapp_messages")
    op.drop_table("whatsapp_messages")
    op.drop_table("whatsapp_contacts")
