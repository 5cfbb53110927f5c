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
from tickets.grammar import parse_duration
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
    intake_channels: dict[str, list[str]] = {}
    agents: list[str] = []
    supervisors: list[str] = []
    escalation: list[str] = []
    categories: list[str] = []
    web_form: Literal["off", "public", "sign-in"] = "off"
    requester_priority: bool = False  # the web form and the API let requesters choose a priority
    sla: dict[Priority, TargetSpec] = {}
    calendar: CalendarSpec = CalendarSpec()

    _members = field_validator("agents", "supervisors", "escalation")(
        classmethod(lambda cls, v: [_check_member(x) for x in v]))


class TeamsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: str | None = Field(default=None, pattern=r"^(en|id)$")
    admins: list[str] = []
    people: dict[str, PersonModel] = {}  # each person's manager, for approvals by "manager"
    teams: list[TeamSpec]

    _admins = field_validator("admins")(classmethod(lambda cls, v: [_check_member(x) for x in v]))


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
                channels=channels, intake_channels={p: tuple(c) for p, c in spec.intake_channels.items()},
                agents=frozenset(spec.agents), supervisors=frozenset(spec.supervisors),
                escalation=tuple(spec.escalation), categories=tuple(spec.categories), sla=sla,
                web_form=spec.web_form, requester_priority=spec.requester_priority,
                calendar=build_calendar(spec.calendar), category_rules=spec.category_rules(),
                macros=spec.macro_list())


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
    return Directory(teams={t.key.upper(): _team(t) for t in spec.teams}, admins=frozenset(spec.admins),
                     default_language=spec.language or language, rate_limit_per_hour=rate_limit_per_hour,
                     managers=managers(spec.people))


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
