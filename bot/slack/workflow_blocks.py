"""Block Kit of the team workflows: the approver's Approve / Reject buttons."""
from __future__ import annotations

from bot.i18n import t
from bot.slack.blocks import button, section

APPROVAL_TEMPLATES = ("approval_request", "approval_reminder")


def approval_blocks(text: str, key: str, lang: str) -> list[dict]:
    """The request's text with Approve (a command of the table) and Reject (asks for the reason first)."""
    return [section(text),
            {"type": "actions", "block_id": f"approval:{key}",
             "elements": [button(t("approval.button_approve", lang), "card_approve", key, "primary"),
                          button(t("approval.button_reject", lang), "approval_reject", key, "danger")]}]
