"""Buttons and selects: the card's Claim/Assign/Priority/Resolve/Close, the 1–5 rating
buttons in the requester's DM, and the team picker of an unowned channel.

Every action is stored in the inbox and acknowledged; the inbox worker runs it. Refusals
(permissions, lifecycle, a lost claim race) come back ephemerally in the user's language.
"""
from __future__ import annotations

import logging
import re

from bot.i18n import t
from bot.slack import intake

log = logging.getLogger(__name__)


def card_values(action_id: str, action: dict, block_key: str) -> tuple[str, dict]:
    """A card/rating control as (command, argument values) for the command table."""
    raw = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
    key, _, extra = raw.partition("|")
    if action_id == "card_assign":
        return "assign", {"key": block_key, "user": f"slack:{action.get('selected_user')}"}
    if action_id == "card_priority":
        return "priority", {"key": key, "level": extra}
    if action_id.startswith("rate_"):
        return "rate", {"key": key, "score": extra}
    return action_id.removeprefix("card_"), {"key": key}


def register(app, deps, intake_) -> None:
    def act(body, client, respond) -> None:
        """Every button and select runs through the command table and the shared runner."""
        actor = deps.actor(client, body["user"]["id"])
        action = body["actions"][0]
        block_key = action.get("block_id", "").partition(":")[2]
        name, values = card_values(action["action_id"], action, block_key)
        lang = deps.lang(actor, values.get("key"))
        reply = deps.runner.press(actor, name, values, lang=lang, source="slack")
        if not reply.ok:
            respond(text=reply.text, response_type="ephemeral", replace_original=False)
        elif name == "rate":
            respond(text=t("slack.rate.thanks", lang, key=reply.ticket.key, score=reply.command.rating),
                    replace_original=True)
        deps.wake()

    def pick_team(body, client, respond):
        team, channel, ts = body["actions"][0]["selected_option"]["value"].split("|", 2)
        message = intake.fetch_message(client, channel, ts)
        if message is None:
            return
        respond(delete_original=True)
        intake.from_message(deps, client, workspace=deps.workspace(body), channel=channel, message=message,
                            reactor=body["user"]["id"], team=team)

    # stored in the inbox, then acknowledged; the inbox worker runs them (bot.slack.durable)
    for control in ("card_claim", "card_assign", "card_priority", "card_resolve", "card_close"):
        intake_.listen(app.action(control), f"action:{control.removeprefix('card_')}", act)
    intake_.listen(app.action(re.compile(r"^rate_[1-5]$")), "action:rate", act)
    intake_.listen(app.action("pick_team"), "action:pick_team", pick_team)
