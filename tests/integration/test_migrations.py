from sqlalchemy import create_engine

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from storage.schema import Base


def test_migrations_build_the_models_schema(db_url):
    """What Alembic built matches the models, on each backend: no drift."""
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_audit_values_are_filled_from_changes_by_the_migration(container, db_url, clock):
    """0004_audit_values copies what reports read out of each event's changes into typed columns, and gives a
    resolve event written before its figures were recorded its ticket's (it was the ticket's last resolution)."""
    from datetime import timedelta

    from alembic import command
    from sqlalchemy import select, update

    from storage.migrate import alembic_config
    from storage.models import AuditRow, audit_values
    from tickets.teams import Actor

    s, andi, budi = container.service, Actor("console:andi"), Actor("console:budi")
    s.open(budi, "IT", "printer")
    clock.at += timedelta(minutes=5)
    s.claim(andi, "IT-1")
    clock.at += timedelta(hours=1)
    s.resolve(andi, "IT-1")
    clock.at += timedelta(hours=1)
    s.close(andi, "IT-1")
    s.open(budi, "IT", "old one")
    s.claim(andi, "IT-2")
    s.resolve(andi, "IT-2")
    with container.engine.begin() as conn:  # IT-2's resolve as written before figures were recorded
        row = conn.execute(select(AuditRow.id, AuditRow.changes).where(AuditRow.ticket_id == 2,
                                                                       AuditRow.action == "resolve")).one()
        legacy = {k: v for k, v in row.changes.items() if not k.startswith("resolution_")}
        conn.execute(update(AuditRow).where(AuditRow.id == row.id).values(changes=legacy))
    container.engine.dispose()
    config = alembic_config(db_url)
    command.downgrade(config, "0003_audit_team")
    try:
        command.upgrade(config, "heads")
    except Exception:  # leave the shared PostgreSQL test database migrated whatever happens
        command.upgrade(config, "heads")
        raise
    with container.engine.connect() as conn:
        rows = conn.execute(select(AuditRow).order_by(AuditRow.id)).all()
    typed = [(r.action, r.seconds, r.met, r.prior_status, r.subject) for r in rows]
    assert typed == [
        ("open", None, None, None, None),
        ("claim", None, None, "new", "console:andi"),
        ("resolve", 3900, True, "in_progress", None),  # business seconds from opening
        ("close", None, None, "resolved", None),
        ("open", None, None, None, None),
        ("claim", None, None, "new", "console:andi"),
        ("resolve", 0, True, "in_progress", None),  # the ticket's figures
    ]
    for r in rows[:-1]:
        assert audit_values(r.changes) == {"seconds": r.seconds, "met": r.met, "prior_status": r.prior_status,
                                           "subject": r.subject}
