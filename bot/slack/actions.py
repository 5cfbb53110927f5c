"""Buttons and selects: the card's Claim/Assign/Priority/Resolve/Close, the 1–5 rating
buttons in the requester's DM, and the team picker of an unowned channel.

Every action is stored in the inbox and acknowledged; the service call runs in the inbox worker. Refusals
(permissions, lifecycle, a lost claim race) come back ephemerally in the user's language.
"""
from __future__ import annotations

import logging
import re

from bot.i18n import t
from bot.render import render_error
from bot.slack import intake
from tickets.errors import ConcurrencyConflict, TicketError

log = logging.getLogger(__name__)


def register(app, deps, intake_) -> None:
    def act(body, client, respond, work) -> None:
        user = body["user"]["id"]
        actor = deps.actor(client, user)
        action = body["actions"][0]
        key = (action.get("value") or (action.get("selected_option") or {}).get("value") or "").split("|")[0]
        lang = deps.lang(actor, key)
        try:
            work(actor, action, key)
        except TicketError as err:
            respond(text=render_error(err, lang), response_type="ephemeral", replace_original=False)
        except ConcurrencyConflict:
            respond(text=t("error.busy", lang), response_type="ephemeral", replace_original=False)
        deps.wake()

    def block_key(body) -> str:
        return body["actions"][0].get("block_id", "").partition(":")[2]

    def claim(body, client, respond):
        act(body, client, respond, lambda actor, a, key: deps.service.claim(actor, key))

    def assign(body, client, respond):
        def work(actor, action, _):
            deps.service.assign(actor, block_key(body), f"slack:{action['selected_user']}")
        act(body, client, respond, work)

    def priority(body, client, respond):
        def work(actor, action, key):
            deps.service.set_priority(actor, key, action["selected_option"]["value"].split("|")[1])
        act(body, client, respond, work)

    def resolve(body, client, respond):
        act(body, client, respond, lambda actor, a, key: deps.service.resolve(actor, key))

    def close(body, client, respond):
        act(body, client, respond, lambda actor, a, key: deps.service.close(actor, key))

    def rate(body, client, respond):
        def work(actor, action, key):
            score = int(action["value"].split("|")[1])
            deps.service.rate(actor, key, score)
            respond(text=t("slack.rate.thanks", deps.lang(actor, key), key=key, score=score),
                    replace_original=True)
        act(body, client, respond, work)

    def pick_team(body, client, respond):
        team, channel, ts = body["actions"][0]["selected_option"]["value"].split("|", 2)
        message = intake.fetch_message(client, channel, ts)
        if message is None:
            return
        respond(delete_original=True)
        intake.from_message(deps, client, workspace=deps.workspace(body), channel=channel, message=message,
                            reactor=body["user"]["id"], team=team)

    # stored in the inbox, then acknowledged; the inbox worker runs them (bot.slack.durable)
    intake_.listen(app.action("card_claim"), "action:claim", claim)
    intake_.listen(app.action("card_assign"), "action:assign", assign)
    intake_.listen(app.action("card_priority"), "action:priority", priority)
    intake_.listen(app.action("card_resolve"), "action:resolve", resolve)
    intake_.listen(app.action("card_close"), "action:close", close)
    intake_.listen(app.action(re.compile(r"^rate_[1-5]$")), "action:rate", rate)
    intake_.listen(app.action("pick_team"), "action:pick_team", pick_team)
