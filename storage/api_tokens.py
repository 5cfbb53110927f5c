"""REST API tokens: only a SHA-256 hash of each token is stored, with its name, teams and use."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from storage.models import Base, BigId
from storage.types import JSONType, UTCDateTime

PREFIX = "tkt_"
TOUCH_EVERY = timedelta(seconds=60)  # last_used_at is written at most once a minute per token


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    teams: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class ApiToken:
    name: str
    teams: frozenset[str]
    created_at: datetime
    last_used_at: datetime | None = None

    @property
    def actor(self) -> str:
        return f"api:{self.name}"


class TokenExists(Exception):
    pass


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(row.name, frozenset(row.teams or ()), row.created_at, row.last_used_at)


class ApiTokens:
    def __init__(self, engine: Engine) -> None:
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.reads = sessionmaker(bind=engine.execution_options(sqlite_readonly=True), expire_on_commit=False)

    def create(self, name: str, teams: list[str], now: datetime) -> str:
        """A new token (returned once; only its hash is kept)."""
        token = PREFIX + secrets.token_urlsafe(32)
        with self.sessions() as session, session.begin():
            if session.scalar(select(ApiTokenRow.id).where(ApiTokenRow.name == name)) is not None:
                raise TokenExists(name)
            session.add(ApiTokenRow(name=name, token_hash=digest(token), teams=sorted({t.upper() for t in teams}),
                                    created_at=now))
        return token

    def list(self) -> list[ApiToken]:
        with self.reads() as session:
            return [_token(r) for r in session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.name))]

    def revoke(self, name: str) -> bool:
        with self.sessions() as session, session.begin():
            row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.name == name))
            if row is None:
                return False
            session.delete(row)
            return True

    def verify(self, token: str, now: datetime) -> ApiToken | None:
        """The token's name and teams, or None for an unknown or revoked one."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        with self.reads() as session:
            row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == digest(token)))
            if row is None:
                return None
            found = _token(row)
        if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
            with self.sessions() as session, session.begin():
                session.execute(update(ApiTokenRow).where(ApiTokenRow.id == row.id).values(last_used_at=now))
        return found
