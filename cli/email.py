"""`tiket email status | retry`, and what `tiket config check [--connect]` says about the mailbox."""
from __future__ import annotations

import json
from email.utils import parseaddr
from typing import Optional

import typer

from cli import common


def _mask(text: str, settings) -> str:
    """Never print a password, whatever an error message quotes."""
    from urllib.parse import unquote, urlsplit

    for secret in (settings.email.imap_url, settings.email.smtp_url):
        if secret is not None:
            password = urlsplit(secret.get_secret_value()).password
            for value in filter(None, (password, password and unquote(password))):
                text = text.replace(value, "**********")
    return text


def email_problems(settings, directory, *, connect: bool = False) -> tuple[list[str], list[str]]:
    """(problems, notes) of the mail settings; with `connect`, log in to both servers."""
    from bot.email.fetch import imap_target
    from bot.email.notifier import smtp_target

    email, problems, notes = settings.email, [], []
    if email.imap_url is None and email.smtp_url is None:
        if connect:
            notes.append("email: not configured (TIKET_EMAIL__IMAP_URL is not set)")
        return problems, notes
    for name, secret, check in (("IMAP_URL", email.imap_url, imap_target), ("SMTP_URL", email.smtp_url, smtp_target)):
        if secret is None:
            problems.append(f"settings: TIKET_EMAIL__{name} is missing (mail needs both directions)")
            continue
        try:
            check(secret.get_secret_value())
        except ValueError as exc:
            problems.append(f"settings: {exc}")
    if not email.from_address or "@" not in parseaddr(email.from_address)[1]:
        problems.append("settings: TIKET_EMAIL__FROM must be an address like 'Helpdesk <helpdesk@corp.example>'")
    if email.poll_seconds <= 0 or email.max_mail_bytes <= 0 or email.max_attachment_bytes <= 0:
        problems.append("settings: TIKET_EMAIL__POLL_SECONDS, __MAX_MAIL_BYTES and __MAX_ATTACHMENT_BYTES must be "
                        "more than 0")
    if not any(team.emails for team in directory.teams.values()) and not directory.email_default_team:
        problems.append(f"{settings.teams_file}: no team takes mail: list addresses in a team's email = [...] "
                        "or set email_default_team")
    if connect and not problems:
        problems += _connect(settings, notes)
    return [_mask(p, settings) for p in problems], [_mask(n, settings) for n in notes]


def _connect(settings, notes: list[str]) -> list[str]:
    from bot.email.fetch import connect, imap_target
    from bot.email.notifier import smtp_connect, smtp_target

    problems = []
    imap = imap_target(settings.email.imap_url.get_secret_value())
    try:
        box = connect(settings.email.imap_url.get_secret_value(), timeout=15)
        idle = "IDLE" in getattr(box.client, "capabilities", ())
        box.logout()
        notes.append(f"imap: logged in as {imap.user} at {imap.host}:{imap.port}, folder {imap.folder}"
                     f"{' (IDLE)' if idle else ' (polling)'}")
    except Exception as exc:
        problems.append(f"imap: cannot log in at {imap.host}:{imap.port}: {type(exc).__name__}: {exc}")
    smtp = smtp_target(settings.email.smtp_url.get_secret_value())
    try:
        conn = smtp_connect(settings.email.smtp_url.get_secret_value(), timeout=15)
        conn.noop()
        conn.quit()
        notes.append(f"smtp: connected to {smtp.host}:{smtp.port} ({smtp.scheme})")
    except Exception as exc:
        problems.append(f"smtp: cannot connect to {smtp.host}:{smtp.port}: {type(exc).__name__}: {exc}")
    return problems


def status(as_json: bool = typer.Option(False, "--json")) -> None:
    """The mailbox: last fetch, the backlog, and the mail that failed 5 times (retry with `tiket email retry`)."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from storage.email import EmailStore
    from storage.inbox import SqlInbox
    from storage.models import OutboxRow

    container = common.container(migrate=False)
    state = EmailStore(container.engine).fetch_state()
    inbox = SqlInbox(container.engine, getattr(container, "cipher", None))
    counts = inbox.counts("email")
    with Session(container.engine) as s:
        out = dict(s.execute(select(OutboxRow.status, func.count()).where(OutboxRow.platform == "email")
                             .group_by(OutboxRow.status)).all())
    failed = [{"id": r.id, "key": r.key, "attempts": r.attempts, "error": r.last_error,
               "received_at": r.received_at.isoformat()} for r in inbox.rows(platform="email", status="dead")]
    data = {"last_fetch": state.at.isoformat() if state else None, "last_fetch_new": state.fetched if state else 0,
            "last_fetch_error": state.error if state else None, "backlog": counts.get("pending", 0),
            "processed": counts.get("done", 0), "failed": failed,
            "outgoing": {"pending": out.get("pending", 0), "sent": out.get("sent", 0), "dead": out.get("dead", 0)}}
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    fetch = f"{data['last_fetch']} ({data['last_fetch_new']} new)" if state else "never"
    typer.echo(f"last fetch: {fetch}" + (f"; error: {data['last_fetch_error']}" if data["last_fetch_error"] else ""))
    typer.echo(f"backlog: {data['backlog']} mail(s) waiting; {data['processed']} processed; {len(failed)} failed")
    typer.echo(f"outgoing: {data['outgoing']['pending']} pending, {data['outgoing']['sent']} sent, "
               f"{data['outgoing']['dead']} dead or bounced")
    for row in failed:
        typer.echo(f"failed {row['id']}\t{row['key']}\tattempts={row['attempts']}\t{row['error']}")


def retry(ids: Optional[list[int]] = typer.Argument(None, help="ids from `tiket email status`; all when none")) -> None:
    """Try failed mail again (it moves from Tiket/Failed to Tiket/Processed once handled)."""
    from storage.inbox import SqlInbox

    container = common.container(migrate=False)
    count = SqlInbox(container.engine, getattr(container, "cipher", None)).retry(ids or None, container.clock.now(), platform="email")
    typer.echo(f"{count} mail(s) queued again")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The team mailbox: status and retrying failed mail.", no_args_is_help=True)
    group.command("status")(status)
    group.command("retry")(retry)
    app.add_typer(group, name="email")
