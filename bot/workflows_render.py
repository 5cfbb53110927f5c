"""Text of the team workflows for chat and console: triage suggestions, tags, fields, attachments."""
from __future__ import annotations

from bot.i18n import t
from tickets.teams import Directory
from tickets.triage import Suggestion


def render_suggestion(suggestion: Suggestion, directory: Directory, lang: str) -> str:
    lines = []
    if suggestion.team:
        team = directory.teams.get(suggestion.team)
        name = team.name if team else suggestion.team
        if suggestion.category:
            lines.append(t("triage.suggest_category", lang, team=suggestion.team, name=name,
                           category=suggestion.category))
        else:
            lines.append(t("triage.suggest_team", lang, team=suggestion.team, name=name))
    for dup in suggestion.duplicates:
        lines.append(t("triage.duplicate", lang, key=dup.key, title=dup.title))
    return "\n".join(lines) if lines else t("triage.nothing", lang)


def render_fields_error(err, lang: str) -> str:
    """A refusal of custom fields, one line per bad field (tickets.fields.FieldsInvalid)."""
    lines = [t("error.fields_invalid", lang, fields=err.params.get("fields", ""))]
    for name, problem, params in getattr(err, "problems", ()):
        lines.append("  " + t(f"field.{problem}", lang, field=name, **params))
    return "\n".join(lines)


def workflow_lines(view, lang: str) -> list[str]:
    """What `show` adds for the team workflows: fields, tags, approval, moves, merges, attachments."""
    tk = view.ticket
    lines = []
    if tk.fields:
        lines.append(t("show.fields", lang, fields=" · ".join(f"{k}: {v}" for k, v in sorted(tk.fields.items()))))
    if tk.tags:
        lines.append(t("show.tags", lang, tags=", ".join(sorted(tk.tags))))
    approval = tk.workflow.get("approval")
    if approval:
        state = approval.get("state")
        if state == "pending":
            approvers = ", ".join(_who(p) for p in approval.get("approvers") or ())
            lines.append(t("show.approval_pending", lang, approvers=approvers))
        else:
            at = str(approval.get("at", ""))[:16].replace("T", " ")
            lines.append(t(f"show.approval_{state}", lang, by=_who(approval.get("by")), at=at))
    for move in tk.workflow.get("moves") or ():
        lines.append(t("show.moved", lang, old=move["from"], new=move["to"], by=_who(move["by"])))
    if tk.workflow.get("merged_into"):
        lines.append(t("show.merged_into", lang, key=tk.workflow["merged_into"]))
    if tk.workflow.get("merged"):
        lines.append(t("show.merged", lang, keys=", ".join(tk.workflow["merged"])))
    for item in getattr(view, "attachments", ()) or ():
        lines.append(t("show.attachment", lang, name=item["name"], size=max(1, item["size"] // 1024),
                       by=_who(item["uploaded_by"])))
    return lines


def _who(user: str | None) -> str:
    """``console:budi`` -> ``budi``, as bot.render.who shows people (not imported: no cycle)."""
    if not user:
        return "-"
    return user.split(":", 1)[1] if ":" in user else user


def render_dm_offer(offer, directory: Directory, lang: str) -> str:
    """The question a DM request gets before the team buttons: the suggestion and possible duplicates."""
    lines = [t("dm.which_team", lang)]
    if offer.suggestion is not None and not offer.suggestion.empty:
        lines.append(render_suggestion(offer.suggestion, directory, lang))
    return "\n".join(lines)


def card_fields(params: dict, lang: str) -> list[tuple[str, str]]:
    """(label, value) the card adds for the team workflows: approval, custom fields, tags, old keys."""
    out = []
    approval = params.get("approval") or {}
    if approval.get("state") == "pending":
        out.append((t("field.approval", lang), t("status.awaiting_approval", lang)))
    elif approval.get("state") in ("approved", "rejected"):
        at = str(approval.get("at") or "")[:16].replace("T", " ")
        out.append((t("field.approval", lang), t(f"show.approval_{approval['state']}", lang,
                                                  by=_who(approval.get("by")), at=at)))
    if params.get("fields"):
        out.append((t("field.fields", lang), " · ".join(f"{k}: {v}" for k, v in sorted(params["fields"].items()))))
    if params.get("tags"):
        out.append((t("field.tags", lang), ", ".join(params["tags"])))
    if params.get("moved_from"):
        out.append((t("field.moved_from", lang), ", ".join(params["moved_from"])))
    return out
