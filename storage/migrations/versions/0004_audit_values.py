"""Audit events carry typed copies of the values reports read from their `changes`: a resolve's business
seconds and SLA outcome, the status before a change and the assignee after a claim or assignment; the
events index covers them on PostgreSQL, so the report's scans of the audit log read the index only.
A resolve event written before its figures were recorded takes its ticket's when it was the ticket's last
resolution (what the report used to look up for such events on every run).

Revision ID: 0004_audit_values
Revises: 0003_audit_team
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_audit_values"
down_revision = "0003_audit_team"
branch_labels = None
depends_on = None

INDEX = "ix_audit_events_team_action_at"
COVERED = ["actor", "seconds", "met", "prior_status", "subject"]


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("met", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("prior_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("subject", sa.String(length=120), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE audit_events SET "
                   "seconds = CAST(CAST(changes -> 'resolution_seconds' ->> 1 AS NUMERIC) AS INTEGER), "
                   "met = CAST(changes -> 'resolution_met' ->> 1 AS BOOLEAN), "
                   "prior_status = changes -> 'status' ->> 0, subject = changes -> 'assignee' ->> 1 "
                   "WHERE changes ?| ARRAY['resolution_seconds', 'resolution_met', 'status', 'assignee']")
        op.execute("UPDATE audit_events AS e SET seconds = COALESCE(e.seconds, t.resolution_seconds), "
                   "met = COALESCE(e.met, t.resolution_met) FROM tickets AS t WHERE t.id = e.ticket_id "
                   "AND e.action = 'resolve' AND t.resolved_at = e.at AND (e.seconds IS NULL OR e.met IS NULL)")
        op.drop_index(INDEX, table_name="audit_events")
        op.create_index(INDEX, "audit_events", ["team", "action", "at"], unique=False, postgresql_include=COVERED)
    else:
        op.execute("UPDATE audit_events SET "
                   "seconds = CAST(json_extract(changes, '$.resolution_seconds[1]') AS INTEGER), "
                   "met = json_extract(changes, '$.resolution_met[1]'), "
                   "prior_status = json_extract(changes, '$.status[0]'), "
                   "subject = json_extract(changes, '$.assignee[1]') "
                   "WHERE json_type(changes, '$.resolution_seconds') IS NOT NULL "
                   "OR json_type(changes, '$.resolution_met') IS NOT NULL "
                   "OR json_type(changes, '$.status') IS NOT NULL OR json_type(changes, '$.assignee') IS NOT NULL")
        last = ("FROM tickets AS t WHERE t.id = audit_events.ticket_id AND t.resolved_at = audit_events.at")
        op.execute(f"UPDATE audit_events SET seconds = COALESCE(seconds, (SELECT t.resolution_seconds {last})), "
                   f"met = COALESCE(met, (SELECT t.resolution_met {last})) "
                   f"WHERE action = 'resolve' AND (seconds IS NULL OR met IS NULL)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(INDEX, table_name="audit_events")
        op.create_index(INDEX, "audit_events", ["team", "action", "at"], unique=False)
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("subject")
        batch_op.drop_column("prior_status")
        batch_op.drop_column("met")
        batch_op.drop_column("seconds")
