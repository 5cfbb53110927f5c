"""Reports: the figures' shape, the reporting period, and who may see which team.

Standard library only. Storage fills the figures in SQL (storage/reports.py);
adapters render them (bot/reports.py, bot/charts.py, cli/report.py).

Visibility: agents see their own teams, supervisors the teams they supervise,
admins every team. An "overall" report covers every team the asker may see; a
confidential team is counted in its totals but never listed by name, per agent
or ticket by ticket there (ask for that team's own report instead).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Callable, Iterable, Protocol

from tickets.errors import PermissionDenied
from tickets.periods import Period, make_period, parse_moment, parse_period
from tickets.permissions import mfa_missing, refuse_without_mfa
from tickets.teams import Actor, Directory, Team


# -- who sees what ---------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    teams: tuple[str, ...]   # counted
    listed: tuple[str, ...]  # shown by name, per agent and ticket by ticket
    team: str | None = None  # a single team's report; None for overall
    tz: str = "UTC"


def team_tz(team: Team) -> str:
    return getattr(team.calendar, "tz_name", None) or "UTC"


def scope_for(directory: Directory, actor: Actor, team: str | None, *, export: bool = False) -> Scope:
    """The teams `actor` may see a report (or, supervisors only, an export) of."""
    role = directory.is_supervisor if export else directory.is_agent
    allowed = lambda a, t: role(a, t) and not mfa_missing(directory, a, t)  # noqa: E731
    if team:
        team_obj = directory.team(team)
        if mfa_missing(directory, actor, team_obj):
            raise refuse_without_mfa(actor, team_obj)
        if not allowed(actor, team_obj):
            if export and directory.is_agent(actor, team_obj):
                raise PermissionDenied("export_supervisors_only")
            raise PermissionDenied("report_forbidden", team=team_obj.key)
        return Scope((team_obj.key,), (team_obj.key,), team_obj.key, team_tz(team_obj))
    teams = [t for t in directory.teams.values() if allowed(actor, t)]
    if not teams:
        if export and directory.teams_of(actor):
            raise PermissionDenied("export_supervisors_only")
        raise PermissionDenied("report_no_teams")
    zones = {team_tz(t) for t in teams}
    return Scope(tuple(t.key for t in teams), tuple(t.key for t in teams if not t.confidential), None,
                 zones.pop() if len(zones) == 1 else "UTC")


# -- the figures -------------------------------------------------------------------------
@dataclass
class Durations:
    count: int = 0
    median: float | None = None  # business seconds
    p90: float | None = None


@dataclass
class Compliance:
    met: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.met / self.total if self.total else None


@dataclass
class Satisfaction:
    count: int = 0
    total: int = 0  # sum of scores
    resolutions: int = 0

    @property
    def average(self) -> float | None:
        return self.total / self.count if self.count else None

    @property
    def response_rate(self) -> float | None:
        """Ratings given in the period per resolution in the period, in percent (at most 100)."""
        return min(100.0, 100.0 * self.count / self.resolutions) if self.resolutions else None


@dataclass
class Figures:
    team: str | None  # None: overall
    created: int = 0
    resolved: int = 0
    closed: int = 0
    reopened: int = 0
    cancelled: int = 0
    backlog_start: int = 0
    backlog_now: int = 0
    open_by_status: dict[str, int] = field(default_factory=dict)
    open_by_priority: dict[str, int] = field(default_factory=dict)
    first_response: Durations = field(default_factory=Durations)
    resolution: Durations = field(default_factory=Durations)
    first_response_sla: Compliance = field(default_factory=Compliance)
    resolution_sla: Compliance = field(default_factory=Compliance)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)


@dataclass
class AgentFigures:
    user: str
    assigned: int = 0
    resolved: int = 0
    median_resolution: float | None = None
    ratings: int = 0
    rating_total: int = 0

    @property
    def average_rating(self) -> float | None:
        return self.rating_total / self.ratings if self.ratings else None


@dataclass
class Day:
    day: date
    created: int = 0
    resolved: int = 0
    backlog: int = 0  # at the end of the day


@dataclass
class Report:
    period: Period
    scope: Scope
    generated_at: datetime
    overall: Figures
    teams: list[Figures] = field(default_factory=list)  # listed teams only
    agents: list[AgentFigures] = field(default_factory=list)
    daily: list[Day] = field(default_factory=list)
    tags: dict[str, int] = field(default_factory=dict)  # tickets created in the period, per tag


EXPORT_COLUMNS = ("key", "team", "title", "status", "priority", "requester", "assignee", "created",
                  "first_response", "resolved", "closed", "first_response_business_seconds",
                  "resolution_business_seconds", "first_response_met", "resolution_met", "rating", "category",
                  "tags", "fields")


class ReportSource(Protocol):
    def report(self, scope: Scope, period: Period, now: datetime) -> Report: ...
    def export(self, scope: Scope, period: Period) -> Iterable[tuple]: ...


class Reports:
    """The read side for reports: checks who may see what, then asks storage for figures."""

    def __init__(self, source: ReportSource, directory: Directory, clock: Callable[[], datetime]) -> None:
        self.source = source
        self.directory = directory
        self.now = clock

    def period(self, scope: Scope, text: str | None = None, since: str | None = None,
               until: str | None = None) -> Period:
        now = self.now()
        if since or until:
            return make_period(parse_moment(since, scope.tz) if since else None,
                               parse_moment(until, scope.tz, end=True) if until else None, now, scope.tz)
        return parse_period(text, now, scope.tz)

    def report(self, actor: Actor, team: str | None = None, period: str | None = None, *,
               since: str | None = None, until: str | None = None) -> Report:
        scope = scope_for(self.directory, actor, team)
        return self.source.report(scope, self.period(scope, period, since, until), self.now())

    def export(self, actor: Actor, team: str | None = None, period: str | None = None, *,
               since: str | None = None, until: str | None = None) -> tuple[Period, list[tuple]]:
        scope = scope_for(self.directory, actor, team, export=True)
        chosen = self.period(scope, period, since, until)
        return chosen, list(self.source.export(scope, chosen))

    def operator(self, team: str | None = None, period: str | None = None, *, since: str | None = None,
                 until: str | None = None, export: bool = False):
        """The operator's view (`tiket report`): every team, confidential ones counted but unlisted
        unless asked for by name. Returns a Report, or (Period, rows) with export=True."""
        actor = Actor("operator:report")
        directory = Directory(self.directory.teams, admins=frozenset({actor.user}))
        scope = scope_for(directory, actor, team, export=export)
        chosen = self.period(scope, period, since, until)
        if export:
            return chosen, list(self.source.export(scope, chosen))
        return self.source.report(scope, chosen, self.now())


def report_json(report: Report) -> dict:
    """A stable JSON shape (`tiket report --json`)."""
    def plain(value):
        if isinstance(value, (datetime, date)):
            return value.isoformat().replace("+00:00", "Z")
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    def figures(f: Figures) -> dict:
        out = plain(asdict(f))
        out["first_response_sla"]["percent"] = f.first_response_sla.percent
        out["resolution_sla"]["percent"] = f.resolution_sla.percent
        out["satisfaction"] = {"count": f.satisfaction.count, "average": f.satisfaction.average,
                               "response_rate": f.satisfaction.response_rate}
        return out

    return {
        "period": {"since": plain(report.period.since), "until": plain(report.period.until),
                   "tz": report.period.tz, "label": report.period.label},
        "team": report.scope.team,
        "teams_counted": len(report.scope.teams),
        "generated_at": plain(report.generated_at),
        "overall": figures(report.overall),
        "teams": [figures(f) for f in report.teams],
        "agents": [{"user": a.user, "assigned": a.assigned, "resolved": a.resolved,
                    "median_resolution": a.median_resolution, "ratings": a.ratings,
                    "average_rating": a.average_rating} for a in report.agents],
        "daily": [plain(asdict(d)) for d in report.daily],
    }
