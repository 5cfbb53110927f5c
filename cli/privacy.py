"""`tiket privacy export|erase <user> --as <admin>`: a person's data as a zip, or their erasure.

Both need an admin of the teams file (`--as`, checked against `admins`) and are recorded in the
privacy log; an erasure is also written to the audit log of every ticket it touched.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Optional

import typer

privacy_app = typer.Typer(help="Privacy requests: export or erase what Tiket holds about a person.",
                          no_args_is_help=True)


def _csv(rows: list[dict]) -> bytes:
    from bot.reports import neutralise

    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: neutralise(v) if isinstance(v, str) else
                             json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                             for k, v in row.items()})
    return buf.getvalue().encode("utf-8")


def archive(data: dict[str, list[dict]], user: str, when: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", f"What Tiket holds about {user}, exported {when}.\n"
                                  "Each part is given as JSON and as CSV: tickets raised, comments, ratings, "
                                  "audit entries.\n")
        for name, rows in data.items():
            zf.writestr(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=2))
            zf.writestr(f"{name}.csv", _csv(rows))
    return buf.getvalue()


def _guard(container, user: str, operator: Optional[str], lang: str, echo):
    from bot.render import render_error
    from tickets.errors import TicketError
    from tickets.privacy import authorize_privacy, check_subject

    try:
        return authorize_privacy(container.directory, operator), check_subject(user)
    except TicketError as err:
        echo(render_error(err, lang), err=True)
        return None


def run_export(container, user: str, operator: Optional[str], out: Optional[Path] = None, *,
               lang: str = "en", echo=typer.echo) -> int:
    from bot.files import write_private
    from bot.i18n import t
    from storage.privacy import collect, log_request

    checked = _guard(container, user, operator, lang, echo)
    if checked is None:
        return 1
    admin, user = checked
    now = container.clock.now()
    data = collect(container.engine, container.cipher, user)
    out = out or Path(f"tiket-privacy-{re.sub(r'[^A-Za-z0-9]+', '-', user)}-{now:%Y%m%d}.zip")
    write_private(out, archive(data, user, now.isoformat()))
    counts = {name: len(rows) for name, rows in data.items()}
    with container.engine.begin() as conn:
        log_request(conn, "export", user, admin.user, now, {**counts, "file": out.name})
    echo(t("privacy.exported", lang, user=user, file=str(out), **counts))
    return 0


def run_erase(container, user: str, operator: Optional[str], *, lang: str = "en", echo=typer.echo) -> int:
    from bot.i18n import t
    from storage.erasure import erase
    from tickets.privacy import pseudonym

    checked = _guard(container, user, operator, lang, echo)
    if checked is None:
        return 1
    admin, user = checked
    alias = pseudonym()
    counts = erase(container.engine, user, alias, admin.user, container.clock.now())
    echo(t("privacy.erased", lang, user=user, alias=alias, tickets=counts["tickets"], comments=counts["comments"],
           ratings=counts["ratings"], audit=counts["audit"]))
    return 0


@privacy_app.command("export")
def export_command(user: str = typer.Argument(..., help="The person, e.g. slack:U123 or console:budi."),
                   operator: Optional[str] = typer.Option(None, "--as", help="You: an admin of the teams file."),
                   out: Optional[Path] = typer.Option(None, "--out", help="The zip file to write."),
                   lang: str = typer.Option("en", "--lang", help="en or id.")) -> None:
    """Everything Tiket holds about a person, as a zip of JSON and CSV (owner-only file)."""
    from cli import common

    raise typer.Exit(run_export(common.container(migrate=None), user, operator, out, lang=lang))


@privacy_app.command("erase")
def erase_command(user: str = typer.Argument(..., help="The person, e.g. slack:U123 or console:budi."),
                  operator: Optional[str] = typer.Option(None, "--as", help="You: an admin of the teams file."),
                  yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
                  lang: str = typer.Option("en", "--lang", help="en or id.")) -> None:
    """Pseudonymise a person and redact what they wrote; ticket numbers, times and statuses stay."""
    from cli import common

    if not yes:
        typer.confirm(f"Erase {user}? This cannot be undone.", abort=True)
    raise typer.Exit(run_erase(common.container(migrate=None), user, operator, lang=lang))


def register(app: typer.Typer) -> None:
    app.add_typer(privacy_app, name="privacy")
