"""A requester's status page, GET /s/<token>: the ticket's key, title, status, who handles it, the
business time left and the public conversation, with forms to reply, reopen and rate. Every answer
for a wrong or revoked token is the same 404. Replies, reopening and ratings go through the inbox
to the service, like any public reply."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.i18n import format_when, t
from bot.render import time_left, who
from bot.web.app import WebRouter
from bot.web.guard import FormGuard
from bot.web.links import Links
from bot.web.pages import language, not_found, render
from tickets.fanout import team_tz
from tickets.model import Status
from tickets.ports import Inbound

ACTIONS = {"reply": "comment", "reopen": "reopen", "rate": "rate"}


class StatusPages:
    def __init__(self, container, intake) -> None:
        self.container, self.intake, self.store = container, intake, intake.store
        self.links = Links.from_container(container, intake.store)
        self.guard = FormGuard(container, self.links)

    def load(self, token: str):
        """(link, ticket, team, comments, attachments) for a live link, else None."""
        link = self.links.status_link(token)
        if link is None:
            return None
        with self.intake.read() as uow:
            ticket = uow.tickets.get_by_id(link.ticket_id)
            if ticket is None or ticket.team not in self.container.directory.teams:
                return None
            comments = [c for c in uow.comments(ticket.id, include_internal=False) if not c.internal]
            rated = ticket.status in (Status.RESOLVED, Status.CLOSED) and uow.has_rating(
                ticket.id, ticket.sla_state.get("resolutions", 0))
        team = self.container.directory.teams[ticket.team]
        return link, ticket, team, comments, rated, self.store.attachments(ticket.id)

    def view(self, request, token: str, found, lang: str, *, errors=None, status=200, values=None):
        link, ticket, team, comments, rated, files = found
        now, tz = self.container.clock.now(), team_tz(team)
        due = ticket.due_at or ticket.resolution_due
        assignee = self.store.display_name(ticket.assignee) or who(ticket.assignee) if ticket.assignee else None
        messages = [{"mine": c.author == link.subject, "author": t("web.you", lang) if c.author == link.subject
                     else (self.store.display_name(c.author) or t("web.team_member", lang)),
                     "body": c.body, "at": format_when(c.created_at, lang, tz)} for c in comments]
        csrf, fresh = self.guard.csrf(request)
        page = render(request, "status.html", lang, status, token=token, ticket=ticket, errors=errors or {},
                      values=values or {}, status_label=t(f"status.{ticket.status.value}", lang),
                      assignee=assignee, messages=messages, files=files, csrf=csrf,
                      left=time_left(due, now, lang, team.calendar) if due and ticket.status.is_open else None,
                      can_reply=ticket.status.is_open, can_reopen=ticket.status == Status.RESOLVED,
                      can_rate=ticket.status in (Status.RESOLVED, Status.CLOSED) and not rated, rated=rated)
        return self.guard.set_cookie(page, fresh)

    async def show(self, request):
        lang = language(request, self.container.directory.default_language)
        found = await run_in_threadpool(self.load, request.path_params["token"])
        if found is None:
            return not_found(request, lang)
        return await run_in_threadpool(self.view, request, request.path_params["token"], found, lang)

    async def act(self, request):
        token, action = request.path_params["token"], request.path_params["action"]
        lang = language(request, self.container.directory.default_language)
        found = await run_in_threadpool(self.load, token) if action in ACTIONS else None
        if found is None:
            return not_found(request, lang)
        form = await self.guard.read_form(request)
        if form == "too-large":
            return Response(status_code=413)
        nonce = self.guard.check(request, form) if form is not None else None
        text = str(form.get("text") or "").strip() if form is not None else ""
        field = {"reply": "reply-text", "reopen": "reopen-text", "rate": "score"}[action]
        errors = {}
        if nonce is None or self.guard.is_bot(form):
            errors[field] = t("web.error_expired", lang)
        elif action == "reply" and not text:
            errors[field] = t("web.error_text", lang)
        elif action == "rate" and str(form.get("score") or "") not in {"1", "2", "3", "4", "5"}:
            errors[field] = t("web.error_score", lang)
        elif not self.guard.allow_ip(request):
            errors[field] = t("web.error_rate", lang)
        if not errors:
            link, ticket = found[0], found[1]
            payload = {"actor": link.subject, "lang": lang, "ticket": ticket.key, "text": text,
                       "score": int(form.get("score") or 0) if action == "rate" else None}
            item = Inbound(key=f"web:status:{nonce}", platform="web", kind=ACTIONS[action], payload=payload)
            outcome = await run_in_threadpool(self.intake.submit, item)
            if outcome.error is None:
                return RedirectResponse(f"/s/{token}", status_code=303)
            errors[field] = t(f"error.{outcome.error.key}", lang, **outcome.error.params)
        found = await run_in_threadpool(self.load, token)
        return await run_in_threadpool(self.view, request, token, found, lang, errors=errors, status=422,
                                       values={field: text})

    async def file(self, request):
        found = await run_in_threadpool(self.load, request.path_params["token"])
        row = (await run_in_threadpool(self.store.attachment, found[1].id, request.path_params["file"])
               if found else None)
        if row is None:
            return not_found(request, language(request))
        return Response(row.data, media_type=row.content_type, headers={
            "Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def status_router(container, intake) -> WebRouter:
    pages = StatusPages(container, intake)
    return WebRouter("status", routes=[
        Route("/s/{token}", pages.show, methods=["GET"]),
        Route("/s/{token}/files/{file:int}", pages.file, methods=["GET"]),
        Route("/s/{token}/{action}", pages.act, methods=["POST"]),
    ])
