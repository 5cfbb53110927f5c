"""Slack listeners of the team workflows: the approver's Approve / Reject (with a reason modal),
the card's "Reply with…" select, and DM intake (a direct message that is not a command asks which
team it is for, with the triage suggestion, then becomes a ticket). Each only translates: payload
-> command of the table (or the service's DM offer) -> reply."""
from __future__ import annotations

import json
import logging
import re

from bot.i18n import t
from bot.slack import intake
from bot.slack.blocks import VIEW_TITLE, plain, section
from bot.slack.workflow_blocks import dm_offer_blocks
from bot.workflows_render import render_dm_offer
from tickets.commands import spec_for
from tickets.dm_intake import offer

log = logging.getLogger(__name__)
REJECT_VIEW = "approval_reject"


def _ack(ack):
    ack()


def reject_modal(key: str, lang: str) -> dict:
    return {"type": "modal", "callback_id": REJECT_VIEW, "private_metadata": json.dumps({"key": key}),
            "title": plain(t("approval.button_reject", lang), VIEW_TITLE),
            "submit": plain(t("approval.button_reject", lang), VIEW_TITLE),
            "close": plain(t("slack.modal.close", lang), VIEW_TITLE),
            "blocks": [section(t("approval.reject_prompt", lang, key=key)),
                       {"type": "input", "block_id": "reason", "label": plain(t("discord.opt.reason", lang), 2000),
                        "element": {"type": "plain_text_input", "action_id": "value", "multiline": True,
                                    "max_length": 2000}}]}


def dm_request(deps, client, event: dict) -> None:
    """A DM that is not a command: offer the teams (the suggested one first) and possible duplicates."""
    actor = deps.actor(client, event["user"])
    lang = deps.lang(actor)
    text = (event.get("text") or "").strip()
    first = text.split(None, 1)[0] if text else ""
    if first.startswith("/") or spec_for(first.lstrip("/")) is not None:  # a command typed in the DM
        reply = deps.runner.run(actor, text.lstrip("/").removeprefix("ticket ").strip(), lang=lang, source="slack")
        client.chat_postMessage(channel=event["channel"], text=reply.text[:3000])
        if reply.changed:
            deps.wake()
        return
    chosen = offer(deps.directory, deps.container.triage, actor, text)
    question = render_dm_offer(chosen, deps.directory, lang)
    client.chat_postMessage(channel=event["channel"], text=question[:3000],
                            blocks=dm_offer_blocks(question, chosen.teams, event["channel"], event["ts"], lang))


def register(app, deps) -> None:
    def approve(body, client, respond) -> None:
        actor = deps.actor(client, body["user"]["id"])
        key = body["actions"][0].get("value") or ""
        lang = deps.lang(actor, key)
        reply = deps.runner.press(actor, "approve", {"key": key}, lang=lang, source="slack")
        respond(text=reply.text, replace_original=reply.ok, response_type="ephemeral")
        deps.wake()

    def ask_reason(ack, body, client) -> None:
        ack()
        actor = deps.actor(client, body["user"]["id"])
        key = body["actions"][0].get("value") or ""
        client.views_open(trigger_id=body["trigger_id"], view=reject_modal(key, deps.lang(actor, key)))

    def reject(ack, body, client) -> None:
        actor = deps.actor(client, body["user"]["id"])
        key = json.loads(body["view"].get("private_metadata") or "{}").get("key", "")
        reason = ((body["view"].get("state") or {}).get("values") or {}).get("reason", {}).get("value", {})
        lang = deps.lang(actor, key)
        reply = deps.runner.press(actor, "reject", {"key": key, "reason": reason.get("value") or ""}, lang=lang,
                                  source="slack")
        if not reply.ok:
            ack(response_action="errors", errors={"reason": reply.text[:150]})
            return
        ack()
        deps.wake()

    def reply_with(body, client, respond) -> None:
        actor = deps.actor(client, body["user"]["id"])
        key, _, name = ((body["actions"][0].get("selected_option") or {}).get("value") or "").partition("|")
        lang = deps.lang(actor, key)
        reply = deps.runner.press(actor, "macro", {"key": key, "name": name}, lang=lang, source="slack")
        if not reply.ok:
            respond(text=reply.text, response_type="ephemeral", replace_original=False)
        deps.wake()

    def dm_pick(body, client, respond) -> None:
        team, channel, ts = (body["actions"][0].get("value") or "||").split("|", 2)
        message = intake.fetch_message(client, channel, ts)
        if message is None:
            return
        respond(delete_original=True)
        intake.from_message(deps, client, workspace=deps.workspace(body), channel=channel, message=message,
                            reactor=body["user"]["id"], team=team)

    app.action("card_approve")(ack=_ack, lazy=[approve])
    app.action("approval_reject")(ask_reason)
    app.view(REJECT_VIEW)(reject)
    app.action("card_macro")(ack=_ack, lazy=[reply_with])
    app.action(re.compile(r"^dm_team_\d+$"))(ack=_ack, lazy=[dm_pick])


def download(client, file: dict, limit: int) -> bytes | None:
    """A shared file's content, fetched with the bot token (None when larger than `limit` or unreadable)."""
    from urllib.request import Request, urlopen

    url = file.get("url_private_download") or file.get("url_private")
    if not url or int(file.get("size") or 0) > limit:
        return None
    request = Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urlopen(request, timeout=15) as answer:  # noqa: S310 (Slack's own file URL)
            data = answer.read(limit + 1)
    except OSError as exc:
        log.info("could not download Slack file %s: %s", file.get("id"), exc)
        return None
    return data if len(data) <= limit else None


def attach_files(deps, client, ticket_id: int, event: dict, files: list[dict]) -> None:
    """Files shared in a ticket's thread (or the message it came from): kept with the ticket."""
    from tickets.errors import ConcurrencyConflict, TicketError

    key = deps.refs.ticket_key(ticket_id)
    actor = deps.actor(client, event["user"])
    limit = deps.service.attachment_rules.max_bytes
    for file in files[:10]:
        data = download(client, file, limit)
        try:
            if data is None:
                raise TicketError("attachment_too_large", name=file.get("name", "?"), max=limit // 1024)
            deps.service.attach(actor, key, file.get("name") or "file", data, file.get("mimetype") or "")
        except (TicketError, ConcurrencyConflict) as err:
            from bot.render import render_error

            lang = deps.lang(actor, key)
            text = render_error(err, lang) if isinstance(err, TicketError) else t("error.busy", lang)
            intake.ephemeral(client, event["channel"], event["user"], text)
    deps.wake()
