"""Chart layout: the SLA legend never covers a value label; an empty period says so, with aligned axes."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from bot.charts import daily_chart, daily_figure, sla_chart, sla_figure
from tickets.reports import Compliance, Day, Figures, Period, Report, Scope

UTC = timezone.utc
START = datetime(2026, 11, 16, tzinfo=UTC)


def report(overall: Figures, teams: list[Figures], days: list[Day]) -> Report:
    period = Period(START, START + timedelta(days=7), "Asia/Jakarta", "last week")
    return Report(period, Scope(("IT", "HR"), ("IT", "HR")), START, overall, teams, [], days)


def full(team: str | None) -> Figures:
    # 100% bars reach the right edge, where a legend in the corner used to sit
    return Figures(team, created=5, first_response_sla=Compliance(5, 5), resolution_sla=Compliance(4, 4))


def texts_and_legends(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    labels = [t.get_window_extent(renderer) for ax in fig.axes for t in ax.texts]
    legends = [lg.get_window_extent(renderer) for lg in fig.legends]
    legends += [ax.get_legend().get_window_extent(renderer) for ax in fig.axes if ax.get_legend()]
    return labels, legends


@pytest.mark.parametrize("lang", ["en", "id"])
def test_sla_legend_never_covers_a_value_label(lang):
    days = [Day(date(2026, 11, 16) + timedelta(days=i), 1, 1, 2) for i in range(7)]
    fig = sla_figure(report(full(None), [full("IT"), full("HR")], days), lang)
    labels, legends = texts_and_legends(fig)
    assert labels and legends
    for legend in legends:
        assert not any(legend.overlaps(label) for label in labels)
    assert sla_chart(report(full(None), [full("IT")], days), lang).startswith(b"\x89PNG")


@pytest.mark.parametrize("lang, words", [("en", "No tickets in this period"),
                                         ("id", "Tidak ada tiket pada periode ini")])
def test_an_empty_period_says_so_with_aligned_axes(lang, words):
    days = [Day(date(2026, 11, 16) + timedelta(days=i)) for i in range(7)]
    empty = report(Figures(None), [Figures("IT")], days)
    fig = daily_figure(empty, lang)
    FigureCanvasAgg(fig).draw()
    assert words in [t.get_text() for ax in fig.axes for t in ax.texts]
    bars, line = fig.axes
    assert bars.get_ylim() == line.get_ylim() == (0.0, 1.0)
    assert list(bars.get_yticks()) == list(line.get_yticks()) == [0, 1]
    assert words in [t.get_text() for ax in sla_figure(empty, lang).axes for t in ax.texts]
    busy = report(full(None), [], [Day(date(2026, 11, 16), 2, 1, 1)])
    assert words not in [t.get_text() for ax in daily_figure(busy, lang).axes for t in ax.texts]
    assert daily_chart(empty, lang).startswith(b"\x89PNG")
