"""Load the teams file (TOML) into the domain's Directory, with errors that say where."""
from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config.workflows import PersonModel, WorkflowParts, managers
from tickets.calendar import BusinessCalendar, is_24_7, parse_hours
from tickets.errors import TicketError
from tickets.dates import parse_duration
from tickets.model import Priority
from tickets.teams import Directory, SlaTarget, Team

ID_PREFIXES = ("slack:", "slack-group:", "discord:", "discord-role:", "console:")


class ConfigError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _check_member(value: str) -> str:
    if not value.startswith(ID_PREFIXES):
        raise ValueError(f"'{value}' must start with one of {', '.join(ID_PREFIXES)}")
    return value


def _check_address(value: str) -> str:
    """A bare mailbox address (``it@corp.example``), compared lower-case."""
    value = value.strip().lower()
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or any(c in value for c in " <>,;\"\\"):
        raise ValueError(f"'{value}' is not a mail address like it@corp.example")
    return value


def _check_duration(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_duration(value)
    except TicketError:
        raise ValueError(f"'{value}' is not a duration like 30s, 15m, 4h or 2d") from None
    return value


class TargetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    first_response: str | None = None
    resolution: str | None = None
    _d1 = field_validator("first_response", "resolution")(classmethod(lambda cls, v: _check_duration(v)))


class CalendarSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timezone: str = "Asia/Jakarta"
    hours: str | dict[str, str] = "mon-fri 08:00-17:00"
    holidays: str | None = "ID"
    extra_holidays: list[date] = []

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except Exception:
            raise ValueError(f"unknown time zone '{value}'") from None
        return value

    @field_validator("hours")
    @classmethod
    def _hours(cls, value):
        if not is_24_7(value):
            parse_hours(value)
        return value

    @field_validator("holidays")
    @classmethod
    def _holidays(cls, value):
        import holidays

        if value and value.upper() not in holidays.list_supported_countries():
            raise ValueError(f"unknown holiday country code '{value}'")
        return value


class TeamSpec(WorkflowParts):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9]{0,9}$")
    name: str
    confidential: bool = False
    language: str | None = Field(default=None, pattern=r"^(en|id)$")
    slack_channel: str | None = None
    discord_channel: str | None = None
    whatsapp: bool = False  # takes requests sent to the WhatsApp number
    intake_channels: dict[str, list[str]] = {}
    agents: list[str] = []
    supervisors: list[str] = []
    escalation: list[str] = []
    categories: list[str] = []
    web_form: Literal["off", "public", "sign-in"] = "off"
    requester_priority: bool = False  # the web form and the API let requesters choose a priority
    require_2fa: bool = False  # staff actions need the platform to confirm two-factor authentication
    sla: dict[Priority, TargetSpec] = {}
    calendar: CalendarSpec = CalendarSpec()
    email: list[str] = []

    _emails = field_validator("email")(classmethod(lambda cls, v: [_check_address(x) for x in v]))
    _members = field_validator("agents", "supervisors", "escalation")(
        classmethod(lambda cls, v: [_check_member(x) for x in v]))


class TeamsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: str | None = Field(default=None, pattern=r"^(en|id)$")
    admins: list[str] = []
    teams: list[TeamSpec]
    email_default_team: str | None = None
    # "email:budi@corp.example" = "slack:U123" links a mail address to a chat identity (bot/email);
    # "slack:U123" = { manager = "slack:U9" } names a person's manager (approvals by "manager")
    people: dict[str, str | PersonModel] = {}

    _admins = field_validator("admins")(classmethod(lambda cls, v: [_check_member(x) for x in v]))

    @field_validator("people")
    @classmethod
    def _people(cls, value: dict[str, str | PersonModel]) -> dict[str, str | PersonModel]:
        out = {}
        for mail, who in value.items():
            if isinstance(who, PersonModel):
                out[mail] = who
                if who.manager:
                    _check_member(who.manager)
                continue
            if not mail.lower().startswith("email:"):
                raise ValueError(f"'{mail}' must be written as email:<address>")
            out["email:" + _check_address(mail[6:])] = _check_member(who)
        return out


@lru_cache(maxsize=16)
def _holiday_years(country: str, year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays(country, years=year).keys())


def build_calendar(spec: CalendarSpec) -> BusinessCalendar:
    if is_24_7(spec.hours):
        return BusinessCalendar.twenty_four_seven(spec.timezone)
    provider = (lambda year, c=spec.holidays.upper(): _holiday_years(c, year)) if spec.holidays else None
    return BusinessCalendar(tz=spec.timezone, hours=parse_hours(spec.hours), holidays=provider,
                            extra_holidays=frozenset(spec.extra_holidays))


def _team(spec: TeamSpec) -> Team:
    channels = {p: c for p, c in (("slack", spec.slack_channel), ("discord", spec.discord_channel)) if c}
    sla = {prio: SlaTarget(parse_duration(t.first_response) if t.first_response else None,
                           parse_duration(t.resolution) if t.resolution else None) for prio, t in spec.sla.items()}
    return Team(key=spec.key.upper(), name=spec.name, confidential=spec.confidential, language=spec.language,
                channels=channels, whatsapp=spec.whatsapp, intake_channels={p: tuple(c) for p, c in spec.intake_channels.items()},
                agents=frozenset(spec.agents), supervisors=frozenset(spec.supervisors),
                escalation=tuple(spec.escalation), categories=tuple(spec.categories), sla=sla,
                web_form=spec.web_form, requester_priority=spec.requester_priority, require_2fa=spec.require_2fa,
                calendar=build_calendar(spec.calendar), emails=tuple(spec.email),
                category_rules=spec.category_rules(), macros=spec.macro_list())


def parse_teams(data: dict, source: str, *, language: str = "en", rate_limit_per_hour: int = 20) -> Directory:
    try:
        spec = TeamsFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _where(data, err["loc"])
            problems.append(f"{source}: {where}: {err['msg']}")
        raise ConfigError(problems) from None
    keys = [t.key.upper() for t in spec.teams]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ConfigError([f"{source}: teams: duplicate team key {', '.join(dupes)}"])
    problems = _email_problems(spec, keys, source)
    if problems:
        raise ConfigError(problems)
    default_team = spec.email_default_team.upper() if spec.email_default_team else None
    return Directory(teams={t.key.upper(): _team(t) for t in spec.teams}, admins=frozenset(spec.admins),
                     default_language=spec.language or language, rate_limit_per_hour=rate_limit_per_hour,
                     email_default_team=default_team, managers=managers(spec.people),
                     people={k: v for k, v in spec.people.items() if isinstance(v, str)})


def _email_problems(spec: TeamsFile, keys: list[str], source: str) -> list[str]:
    """Mail addresses name one team each; the default mail team exists."""
    problems, owner = [], {}
    for team in spec.teams:
        for address in team.email:
            if address in owner and owner[address] != team.key.upper():
                problems.append(f"{source}: teams[{team.key}].email: {address} is also {owner[address]}'s address")
            owner[address] = team.key.upper()
    if spec.email_default_team and spec.email_default_team.upper() not in keys:
        problems.append(f"{source}: email_default_team: unknown team '{spec.email_default_team}' "
                        f"(teams: {', '.join(keys)})")
    return problems


def _where(data: dict, loc: tuple) -> str:
    parts = []
    node = data
    for item in loc:
        if isinstance(item, int) and isinstance(node, list) and item < len(node):
            node = node[item]
            label = node.get("key") if isinstance(node, dict) else None
            parts[-1] = f"{parts[-1]}[{label or item}]" if parts else f"[{item}]"
            continue
        parts.append(str(item))
        node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def load_teams(path: str | Path, *, language: str = "en", rate_limit_per_hour: int = 20) -> Directory:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found (set TIKET_TEAMS_FILE or copy teams.example.toml)"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    return parse_teams(data, str(path), language=language, rate_limit_per_hour=rate_limit_per_hour)
