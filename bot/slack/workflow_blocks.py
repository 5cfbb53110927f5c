"""Block Kit of the team workflows: the approver's Approve / Reject buttons."""
from __future__ import annotations

from bot.i18n import t
from bot.slack.blocks import button, section, team_picker

APPROVAL_TEMPLATES = ("approval_request", "approval_reminder")


def approval_blocks(text: str, key: str, lang: str) -> list[dict]:
    """The request's text with Approve (a command of the table) and Reject (asks for the reason first)."""
    return [section(text),
            {"type": "actions", "block_id": f"approval:{key}",
             "elements": [button(t("approval.button_approve", lang), "card_approve", key, "primary"),
                          button(t("approval.button_reject", lang), "approval_reject", key, "danger")]}]


def dm_offer_blocks(question: str, teams: list[tuple[str, str]], channel: str, ts: str, lang: str) -> list[dict]:
    """The DM intake question: one button per team (the suggested first), more in the team picker."""
    buttons = [button(f"{key} · {name}", f"dm_team_{n}", f"{key}|{channel}|{ts}", "primary" if n == 0 else None)
               for n, (key, name) in enumerate(teams[:5])]
    blocks = [section(question), {"type": "actions", "block_id": f"dm_offer:{ts}", "elements": buttons}]
    if len(teams) > 5:
        blocks += team_picker(teams[5:], channel, ts, lang)[1:]
    return blocks

