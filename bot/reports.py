"""`/ticket stats` and `/ticket export` for every adapter: text, PNG charts and a CSV file.

`commands(reports, directory)` is picked up by config/wiring.py; the CommandRunner sends the
"stats" and "export" actions here. Adapters upload `Reply.attachments`.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Callable, Iterable

from bot.commands import Reply
from bot.i18n import format_duration, t
from bot.render import priority_label, status_label, who
from tickets.grammar import Command
from tickets.reports import EXPORT_COLUMNS, Durations, Figures, Period, Report, Reports
from tickets.teams import Actor


def make_reports(container) -> Reports:
    """The read side of reports over the container's database (built by config.wiring)."""
    return container.reports()


# -- text ----------------------------------------------------------------------------------
def duration(seconds: float | None, lang: str) -> str:
    return "-" if seconds is None else format_duration(timedelta(seconds=round(seconds)), lang)


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def _durations(label: str, d: Durations, lang: str) -> str:
    if not d.count:
        return t(label, lang, median="-", p90="-", count=0)
    return t(label, lang, median=duration(d.median, lang), p90=duration(d.p90, lang), count=d.count)


def figures_lines(f: Figures, lang: str) -> list[str]:
    s = f.satisfaction
    lines = [
        t("report.flow", lang, created=f.created, resolved=f.resolved, closed=f.closed, reopened=f.reopened),
        t("report.backlog", lang, start=f.backlog_start, now=f.backlog_now),
    ]
    if f.backlog_now:
        by_status = ", ".join(f"{status_label(k, lang)} {v}" for k, v in sorted(f.open_by_status.items()))
        by_priority = ", ".join(f"{priority_label(k, lang)} {v}" for k, v in sorted(f.open_by_priority.items()))
        lines.append(t("report.open_by", lang, statuses=by_status, priorities=by_priority))
    lines += [
        _durations("report.first_response", f.first_response, lang),
        _durations("report.resolution", f.resolution, lang),
        t("report.sla", lang, first=percent(f.first_response_sla.percent), first_met=f.first_response_sla.met,
          first_total=f.first_response_sla.total, resolution=percent(f.resolution_sla.percent),
          resolution_met=f.resolution_sla.met, resolution_total=f.resolution_sla.total),
        t("report.satisfaction", lang, average="-" if s.average is None else f"{s.average:.1f}", count=s.count,
          rate=percent(s.response_rate)),
    ]
    return lines


def period_text(period: Period, lang: str) -> str:
    from babel.dates import format_date
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(period.tz)
    first = format_date(period.since.astimezone(zone).date(), "d MMM y", locale=lang)
    last = format_date((period.until - timedelta(microseconds=1)).astimezone(zone).date(), "d MMM y", locale=lang)
    return t("report.period", lang, label=period.label, first=first, last=last, tz=period.tz)


def render_report(report: Report, lang: str, directory=None) -> str:
    scope = report.scope
    if scope.team:
        name = directory.teams[scope.team].name if directory and scope.team in directory.teams else scope.team
        head = t("report.title_team", lang, team=scope.team, name=name)
    else:
        head = t("report.title_overall", lang, count=len(scope.teams))
    lines = [head, period_text(report.period, lang), *figures_lines(report.overall, lang)]
    if scope.team is None:
        hidden = len(scope.teams) - len(scope.listed)
        if hidden:
            lines.append(t("report.hidden_teams", lang, count=hidden))
        if report.teams:
            lines.append(t("report.per_team", lang))
            for f in report.teams:
                lines.append("  " + t("report.team_line", lang, team=f.team, created=f.created, resolved=f.resolved,
                                      backlog=f.backlog_now, first=percent(f.first_response_sla.percent),
                                      resolution=percent(f.resolution_sla.percent),
                                      median=duration(f.resolution.median, lang)))
    if report.tags:
        lines.append(t("report.tags", lang, tags=" · ".join(f"{tag} {n}" for tag, n in list(report.tags.items())[:15])))
    if report.agents:
        lines.append(t("report.per_agent", lang))
        for a in report.agents[:15]:
            rating = "-" if a.average_rating is None else f"{a.average_rating:.1f}"
            lines.append("  " + t("report.agent_line", lang, agent=who(a.user), assigned=a.assigned,
                                  resolved=a.resolved, median=duration(a.median_resolution, lang), rating=rating))
    return "\n".join(lines)


# -- files ---------------------------------------------------------------------------------
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """OWASP CSV injection: a text cell a spreadsheet would run as a formula gets a leading quote."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, (int, float)):
        return str(value)
    return neutralise(str(value))


def export_csv(rows: Iterable[tuple]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue().encode("utf-8")


def filename(report_scope_team: str | None, period: Period, kind: str, ext: str) -> str:
    label = period.label.replace("..", "_to_").replace("/", "-")
    return f"tiket-{kind}-{report_scope_team or 'all'}-{label}.{ext}"


def chart_files(report: Report, lang: str) -> list[tuple[str, bytes]]:
    from bot.charts import daily_chart, sla_chart

    team = report.scope.team
    return [(filename(team, report.period, "daily", "png"), daily_chart(report, lang)),
            (filename(team, report.period, "sla", "png"), sla_chart(report, lang))]


# -- the commands ------------------------------------------------------------------------------
def commands(reports: Reports, directory) -> dict[str, Callable[[Actor, Command, str], Reply]]:
    """stats and export for the CommandRunner, over the reports and the directory (nothing more)."""
    def stats(actor: Actor, cmd: Command, lang: str) -> Reply:
        report = reports.report(actor, cmd.team, cmd.scope)
        return Reply(render_report(report, lang, directory), command=cmd,
                     attachments=chart_files(report, lang))

    def export(actor: Actor, cmd: Command, lang: str) -> Reply:
        period, rows = reports.export(actor, cmd.team, cmd.scope)
        name = filename(cmd.team, period, "tickets", "csv")
        return Reply(t("report.exported", lang, count=len(rows), file=name, period=period_text(period, lang)),
                     command=cmd, attachments=[(name, export_csv(rows))])

    return {"stats": stats, "export": export}
