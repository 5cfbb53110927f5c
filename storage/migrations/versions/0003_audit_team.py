"""Audit events carry their ticket's team, so reports filter and group them without a join; and the
indexes the report queries use (events by team, action and time; first responses and ratings by time).

Revision ID: 0003_audit_team
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_audit_team"
down_revision = "0001"
branch_labels = ("audit_team",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=10), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE audit_events AS e SET team = t.team FROM tickets AS t WHERE t.id = e.ticket_id")
    else:
        op.execute("UPDATE audit_events SET team = (SELECT t.team FROM tickets AS t "
                   "WHERE t.id = audit_events.ticket_id)")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("team", existing_type=sa.String(length=10), nullable=False)
        batch_op.create_index("ix_audit_events_team_action_at", ["team", "action", "at"], unique=False)
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_first_response_at", ["first_response_at"], unique=False)
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index("ix_ratings_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_ratings_at")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_first_response_at")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_team_action_at")
        batch_op.drop_column("team")
