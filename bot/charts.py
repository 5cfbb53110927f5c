"""Report charts as PNG bytes, drawn with matplotlib's Agg canvas (no GUI, no pyplot state).

Sized for chat (1000x560 px): a title, labelled axes, dates in the report's time
zone (the days are the team's local days) and every word from the catalog.
"""
from __future__ import annotations

import io
from datetime import date

from babel.dates import format_date
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.i18n import normalise_language, t
from tickets.reports import Report

SIZE = (10, 5.6)
DPI = 100
CREATED, RESOLVED, BACKLOG = "#4C72B0", "#55A868", "#C44E52"


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def scope_name(report: Report, lang: str) -> str:
    return report.scope.team or t("report.overall", lang)


def _day_label(day: date, lang: str) -> str:
    return format_date(day, "d MMM", locale=normalise_language(lang))


def is_empty(report: Report) -> bool:
    """Nothing happened and nothing was open: the chart says so instead of drawing zeros."""
    return not any(d.created or d.resolved or d.backlog for d in report.daily) and not any(
        getattr(report.overall, name).total for name in ("first_response_sla", "resolution_sla"))


def _say_empty(ax, lang: str) -> None:
    ax.text(0.5, 0.5, t("chart.empty_period", lang), transform=ax.transAxes, ha="center", va="center",
            fontsize=16, color="#555555")


def daily_chart(report: Report, lang: str = "en") -> bytes:
    return _png(daily_figure(report, lang))


def daily_figure(report: Report, lang: str = "en") -> Figure:
    """Tickets created and resolved per day (bars) with the backlog at each day's end (line)."""
    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    days = report.daily
    xs = list(range(len(days)))
    if len(xs) <= 62:  # bars side by side while they stay readable, lines for long periods
        width = 0.4
        ax.bar([x - width / 2 for x in xs], [d.created for d in days], width, color=CREATED,
               label=t("chart.created", lang))
        ax.bar([x + width / 2 for x in xs], [d.resolved for d in days], width, color=RESOLVED,
               label=t("chart.resolved", lang))
    else:
        ax.plot(xs, [d.created for d in days], color=CREATED, linewidth=1.2, label=t("chart.created", lang))
        ax.plot(xs, [d.resolved for d in days], color=RESOLVED, linewidth=1.2, label=t("chart.resolved", lang))
    ax.set_ylabel(t("chart.tickets_per_day", lang))
    ax.set_xlabel(t("chart.day", lang, tz=report.period.tz))
    line_ax = ax.twinx()
    line_ax.plot(xs, [d.backlog for d in days], color=BACKLOG, linewidth=2.2, marker="o" if len(xs) <= 31 else None,
                 markersize=3.5, label=t("chart.backlog", lang))
    line_ax.set_ylabel(t("chart.backlog", lang))
    # at least 0..1, so a quiet period shows whole tickets, not fractions of one
    line_ax.set_ylim(0, max(1, max((d.backlog for d in days), default=0)) * 1.1)
    ax.set_ylim(bottom=0, top=max(1.0, ax.get_ylim()[1]))
    if is_empty(report):  # both axes 0..1 with the same ticks, so their lines meet
        for axis in (ax, line_ax):
            axis.set_ylim(0, 1)
            axis.set_yticks([0, 1])
    for axis in (ax, line_ax):
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    step = max(1, len(xs) // 12)
    ticks = xs[::step]
    ax.set_xticks(ticks, [_day_label(days[i].day, lang) for i in ticks], rotation=0 if len(ticks) <= 8 else 45,
                  ha="center" if len(ticks) <= 8 else "right")
    if not xs:
        ax.text(0.5, 0.5, t("chart.no_data", lang), transform=ax.transAxes, ha="center", va="center")
    elif is_empty(report):
        _say_empty(ax, lang)
    handles = ax.get_legend_handles_labels()
    more = line_ax.get_legend_handles_labels()
    fig.legend(handles[0] + more[0], handles[1] + more[1], loc="outside lower center", frameon=False, ncols=3)
    ax.grid(axis="y", alpha=0.3)
    fig.suptitle(t("chart.daily_title", lang, scope=scope_name(report, lang), period=report.period.label),
                 fontsize=14, fontweight="bold")
    return fig


def sla_chart(report: Report, lang: str = "en") -> bytes:
    return _png(sla_figure(report, lang))


def sla_figure(report: Report, lang: str = "en") -> Figure:
    """SLA compliance (percent met) for first response and resolution, per listed team and overall.
    The legend sits below the plot, where no value label can be."""
    rows = [(f.team, f) for f in report.teams] if report.scope.team is None else []
    rows.append((t("report.overall", lang) if report.scope.team is None else report.scope.team, report.overall))
    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    height = 0.38
    ys = list(range(len(rows)))
    for offset, name, colour, label in ((-height / 2, "first_response_sla", CREATED, "chart.first_response"),
                                        (height / 2, "resolution_sla", RESOLVED, "chart.resolution")):
        values = [getattr(f, name) for _, f in rows]
        bars = ax.barh([y + offset for y in ys], [v.percent or 0 for v in values], height, color=colour,
                       label=t(label, lang))
        for bar, value in zip(bars, values):
            text = (f"{value.percent:.0f}% ({value.met}/{value.total})" if value.total
                    else t("chart.no_data_short", lang))
            ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=10)
    ax.set_yticks(ys, [name for name, _ in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel(t("chart.percent_met", lang))
    ax.set_ylabel(t("chart.team", lang))
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", frameon=False, ncols=2)
    ax.grid(axis="x", alpha=0.3)
    if is_empty(report):
        _say_empty(ax, lang)
    fig.suptitle(t("chart.sla_title", lang, scope=scope_name(report, lang), period=report.period.label),
                 fontsize=14, fontweight="bold")
    return fig
