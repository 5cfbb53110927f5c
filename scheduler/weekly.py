"""The weekly report: every Monday at 09:00 team time (settings.scheduler.weekly_report_time),
one summary of the past week per team to each of its supervisors, through the outbox.

Idempotent: the dedup key names the team, the ISO week and the recipient, so any
number of sweeps (or replicas) queue each summary once. Confidential teams get
their own report like any other; it only goes to that team's supervisors.
"""
from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.models import OutboxRow
from tickets.fanout import user_platform
from tickets.messages import N_
from tickets.ports import Outgoing
from tickets.reports import Period, Scope, team_tz
from tickets.teams import Team

log = logging.getLogger(__name__)
DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
        "sen": 0, "sel": 1, "rab": 2, "kam": 3, "jum": 4, "sab": 5, "min": 6}
_SPEC_RE = re.compile(r"(?:([a-z]+)\s+)?([0-9]{1,2}):([0-9]{2})")


def parse_schedule(spec: str) -> tuple[int, time]:
    """`MON 09:00` (a day and a time; the day defaults to Monday) -> (weekday, time)."""
    m = _SPEC_RE.fullmatch(spec.strip().lower())
    if not m or (m.group(1) and m.group(1)[:3] not in DAYS):
        raise ValueError(f"weekly_report_time {spec!r} is not like 'MON 09:00'")
    return DAYS[(m.group(1) or "mon")[:3]], time(int(m.group(2)), int(m.group(3)))


def last_week(today: date, tz: str) -> Period:
    """The seven local days before `today`."""
    zone = ZoneInfo(tz)
    first, stop = today - timedelta(days=7), today
    since = datetime.combine(first, time(0), zone)
    until = datetime.combine(stop, time(0), zone)
    return Period(since.astimezone(timezone.utc), until.astimezone(timezone.utc), tz,
                  f"{first.isoformat()}..{(stop - timedelta(days=1)).isoformat()}")


def _recipients(team: Team) -> list[str]:
    """Supervisors who are people (groups and roles cannot get a direct message)."""
    return sorted(s for s in team.supervisors if user_platform(s) not in ("slack-group", "discord-role"))


def run_weekly_reports(container) -> int:
    """Queue the weekly summaries that are due now; returns how many messages were queued."""
    settings = container.settings.scheduler
    if not settings.weekly_report:
        return 0
    try:
        weekday, at = parse_schedule(settings.weekly_report_time)
    except ValueError as exc:
        log.error("%s", exc)
        return 0
    from bot.reports import figures_lines
    from storage.reports import SqlReportSource

    now = container.clock.now()
    source = SqlReportSource(container.engine)
    fanout = container.service.fanout
    queued = 0
    for team in container.directory.teams.values():
        tz = team_tz(team)
        local = now.astimezone(ZoneInfo(tz))
        if local.weekday() != weekday or local.time() < at:
            continue
        year, week, _ = local.isocalendar()
        prefix = f"weekly:{team.key}:{year}-W{week:02d}"
        sends = [(user, platform) for user in _recipients(team) for platform in sorted(fanout.platforms)
                 if platform == "console" or platform == user_platform(user)]
        if not sends:
            continue
        first = "{}:{}:{}".format(prefix, *sends[0])  # all of a team's are queued together: one look suffices
        with container.engine.connect() as conn:
            if conn.execute(select(OutboxRow.id).where(OutboxRow.dedup_key == first)).first():
                continue
        period = last_week(local.date(), tz)
        report = source.report(Scope((team.key,), (team.key,), team.key, tz), period, now)
        with container.uow() as uow:
            for user, platform in sends:
                lang = fanout.language(uow, team, user)
                params = {"team": team.key, "period": period.label,
                          "summary": "\n".join(figures_lines(report.overall, lang))}
                queued += uow.queue(Outgoing(platform=platform, target=f"user:{user}",
                                             template=N_("weekly_report"), params=params, lang=lang,
                                             dedup_key=f"{prefix}:{user}:{platform}"))
            uow.commit()
    return queued
