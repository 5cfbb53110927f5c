"""report_hours: per team and UTC hour, the tickets opened and the resolves, closes, reopens and cancels; report_agent_days: per team,
UTC day and assignee, the claims and assignments. Kept with the audit events (storage.rollup) so reports sum
them instead of scanning the audit log; filled here from the audit log.

Revision ID: 0005_report_rollup
Revises: 0004_audit_values
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_report_rollup"
down_revision = "0004_audit_values"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from storage.rollup import backfill

    op.create_table(
        "report_hours",
        sa.Column("team", sa.String(length=10), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.Column("closed_open", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team", "hour", name=op.f("pk_report_hours")),
    )
    op.create_table(
        "report_agent_days",
        sa.Column("team", sa.String(length=10), nullable=False),
        sa.Column("day", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("assigned", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team", "day", "subject", name=op.f("pk_report_agent_days")),
    )
    for statement in backfill(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("report_agent_days")
    op.drop_table("report_hours")
