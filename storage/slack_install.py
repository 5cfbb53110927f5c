"""Slack OAuth installations and OAuth states, kept in Tiket's own database.

The tables are slack_sdk's SQLAlchemy store tables, declared in our metadata so
that Alembic (revision 0002_slack) creates and checks them like every other table.
"""
from __future__ import annotations

from sqlalchemy import Engine

from storage.base import Base

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
STATES = "slack_oauth_states"


def _declare() -> None:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    if INSTALLATIONS not in Base.metadata.tables:
        SQLAlchemyInstallationStore.build_installations_table(Base.metadata, INSTALLATIONS)
        SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS)
        SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, STATES)


_declare()


def installation_store(client_id: str, engine: Engine):
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine, bots_table_name=BOTS,
                                       installations_table_name=INSTALLATIONS)


def state_store(engine: Engine, expiration_seconds: int = 600):
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    return SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=engine, table_name=STATES)


def installed_token(client_id: str, engine: Engine):
    """workspace (team id) -> the installation's bot token; without a workspace (or an unknown
    one) the latest installation's, so a single installed workspace just works."""
    from sqlalchemy import select

    store = installation_store(client_id, engine)

    def lookup(workspace: str | None) -> str | None:
        if workspace:
            bot = store.find_bot(enterprise_id=None, team_id=workspace)
            if bot is not None:
                return bot.bot_token
        with engine.connect() as conn:
            c = store.bots.c
            return conn.execute(select(c.bot_token).where(c.client_id == store.client_id)
                                .order_by(c.installed_at.desc()).limit(1)).scalar()
    return lookup
