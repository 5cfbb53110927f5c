"""workflows: tags, custom fields and workflow state on tickets; old keys, tags, attachments, embeddings.

Revision ID: 0014_workflows
Revises: 0006_inbox
"""
from alembic import op
import sqlalchemy as sa

from storage.types import JSONType, UTCDateTime

revision = "0014_workflows"
down_revision = "0006_inbox"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    for name in ("tags", "fields", "workflow"):  # plain ALTER TABLE: never recreate tickets (its cascades)
        op.add_column("tickets", sa.Column(name, JSONType, nullable=True))
    op.create_table(
        "ticket_aliases",
        sa.Column("team", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_aliases_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team", "number", name=op.f("pk_ticket_aliases")),
    )
    op.create_index("ix_ticket_aliases_ticket_id", "ticket_aliases", ["ticket_id"])
    op.create_table(
        "ticket_tags",
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_tags_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", "tag", name=op.f("pk_ticket_tags")),
    )
    op.create_index("ix_ticket_tags_tag", "ticket_tags", ["tag"])
    op.create_table(
        "attachments",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_attachments_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index("ix_attachments_ticket_id", "attachments", ["ticket_id"])
    op.create_table(
        "ticket_embeddings",
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_embeddings_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_embeddings")),
    )


def downgrade() -> None:
    op.drop_table("ticket_embeddings")
    op.drop_index("ix_attachments_ticket_id", table_name="attachments")
    op.drop_table("attachments")
    op.drop_index("ix_ticket_tags_tag", table_name="ticket_tags")
    op.drop_table("ticket_tags")
    op.drop_index("ix_ticket_aliases_ticket_id", table_name="ticket_aliases")
    op.drop_table("ticket_aliases")
    for name in ("workflow", "fields", "tags"):  # SQLite >= 3.35 drops a column in place
        op.execute(f"ALTER TABLE tickets DROP COLUMN {name}")
