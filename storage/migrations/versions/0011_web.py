"""web: REST API tokens (hashes only), signed links (status pages, sign-in) and form attachments.

Revision ID: 0011_web
Revises: 0006_inbox
"""
from alembic import op
import sqlalchemy as sa

from storage.types import JSONType, UTCDateTime

revision = "0011_web"
down_revision = "0006_inbox"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("teams", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("name", name=op.f("uq_api_tokens_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "web_links",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", BigId, nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_web_links_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_links")),
    )
    op.create_index("ix_web_links_ticket_subject", "web_links", ["kind", "ticket_id", "subject"])
    op.create_table(
        "web_attachments",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("entry_key", sa.String(length=255), nullable=False),
        sa.Column("ticket_id", BigId, nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_web_attachments_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_attachments")),
    )
    op.create_index(op.f("ix_web_attachments_entry_key"), "web_attachments", ["entry_key"])
    op.create_index(op.f("ix_web_attachments_ticket_id"), "web_attachments", ["ticket_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_web_attachments_ticket_id"), table_name="web_attachments")
    op.drop_index(op.f("ix_web_attachments_entry_key"), table_name="web_attachments")
    op.drop_table("web_attachments")
    op.drop_index("ix_web_links_ticket_subject", table_name="web_links")
    op.drop_table("web_links")
    op.drop_table("api_tokens")
