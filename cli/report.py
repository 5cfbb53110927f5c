"""`tiket report`: the team figures on the command line, as text, JSON, CSV or PNG charts.

This is an operator's tool: it sees every team; a confidential team is counted in
the overall figures but only listed when asked for by name (--team).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer


def run_report(container, *, team: Optional[str] = None, period: Optional[str] = None,
               since: Optional[str] = None, until: Optional[str] = None, as_json: bool = False,
               csv_file: Optional[Path] = None, png_file: Optional[Path] = None, lang: Optional[str] = None,
               echo=typer.echo) -> int:
    from bot.files import write_private
    from bot.i18n import normalise_language, t
    from bot.render import render_error
    from bot.reports import export_csv, make_reports, render_report
    from tickets.errors import TicketError
    from tickets.reports import report_json

    lang = normalise_language(lang, container.directory.default_language)
    if sum(bool(x) for x in (as_json, csv_file, png_file)) > 1:
        echo(t("report.cli_no_format", lang), err=True)
        return 2
    reports = make_reports(container)
    try:
        if csv_file:
            _period, rows = reports.operator(team, period, since=since, until=until, export=True)
            write_private(csv_file, export_csv(rows))
            echo(t("report.saved", lang, file=str(csv_file)))
            return 0
        report = reports.operator(team, period, since=since, until=until)
    except TicketError as err:
        echo(render_error(err, lang), err=True)
        return 1
    if as_json:
        echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    elif png_file:
        from bot.charts import daily_chart, sla_chart

        sla_file = png_file.with_name(f"{png_file.stem}-sla{png_file.suffix or '.png'}")
        write_private(png_file, daily_chart(report, lang))
        write_private(sla_file, sla_chart(report, lang))
        echo(t("report.saved", lang, file=str(png_file)))
        echo(t("report.saved", lang, file=str(sla_file)))
    else:
        echo(render_report(report, lang, container.directory))
    return 0


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(team: Optional[str] = typer.Option(None, "--team", help="One team's report (default: all teams)."),
               period: Optional[str] = typer.Option(None, "--period", help="7d, 30d, 2026-11 or 2026-11-01..2026-11-27."),
               since: Optional[str] = typer.Option(None, "--since", help="Start: a date (team time) or ISO time."),
               until: Optional[str] = typer.Option(None, "--until", help="End: a date (included) or ISO time."),
               as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
               csv_file: Optional[Path] = typer.Option(None, "--csv", help="Write the tickets as CSV to FILE."),
               png_file: Optional[Path] = typer.Option(None, "--png",
                                                       help="Write the daily chart to FILE and SLA chart to FILE-sla."),
               lang: Optional[str] = typer.Option(None, "--lang", help="en or id.")) -> None:
        """Team figures: created/resolved, backlog, response and resolution times, SLA, satisfaction."""
        from cli import common

        container = common.container(migrate=None)
        raise typer.Exit(run_report(container, team=team, period=period, since=since, until=until,
                                    as_json=as_json, csv_file=csv_file, png_file=png_file, lang=lang))
