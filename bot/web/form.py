"""The request form: GET / lists the teams whose form is on, GET/POST /t/<team> shows and takes a
team's form; sign-in teams first prove the email address with a one-time link (/t/<team>/sign-in)."""
from __future__ import annotations

from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse
from starlette.routing import Route

from bot.i18n import t
from bot.web.app import WebRouter
from bot.web.guard import FormGuard, valid_email
from bot.web.links import Links
from bot.web.pages import language, not_found, render
from tickets.model import Priority
from tickets.ports import Inbound, Outgoing

SIGNIN_COOKIE = "tiket_signin"
FIELD_OF = {"title_required": "title", "title_too_long": "title", "description_too_long": "description",
            "unknown_category": "category", "bad_priority": "priority", "rate_limited": "email"}


class FormPages:
    def __init__(self, container, intake) -> None:
        self.container, self.intake = container, intake
        self.web = container.settings.web
        self.links = Links.from_container(container, intake.store)
        self.guard = FormGuard(container, self.links)

    # -- helpers ----------------------------------------------------------------------
    def team(self, request):
        team = self.container.directory.teams.get(request.path_params["team"].upper())
        if team is None or team.web_form == "off" or request.path_params["team"] != team.key.lower():
            return None
        return team

    def signed_in(self, request, team) -> str | None:
        value = self.links.unseal(request.cookies.get(SIGNIN_COOKIE))
        prefix = f"{team.key}|"
        return value[len(prefix):] if value and value.startswith(prefix) else None

    def show(self, request, team, lang, *, values=None, errors=None, status=200):
        token, fresh = self.guard.csrf(request)
        if team.web_form == "sign-in" and not self.signed_in(request, team):
            page = render(request, "sign_in.html", lang, status, team=team, csrf=token, values=values or {},
                          errors=errors or {})
            return self.guard.set_cookie(page, fresh)
        types = sorted(self.web.allowed_types())
        page = render(request, "form.html", lang, status, team=team, csrf=token, values=values or {},
                      errors=errors or {}, signed_in=self.signed_in(request, team),
                      priorities=[{"value": p.value, "label": t(f"priority.{p.value}", lang)} for p in Priority],
                      max_files=self.web.attachment_max_files, max_size=f"{self.web.attachment_max_bytes // 1024} KB",
                      types=", ".join(x.split("/")[-1] for x in types), accept=",".join(types))
        return self.guard.set_cookie(page, fresh)

    def lang(self, request, team=None) -> str:
        return language(request, (team.language if team else None) or self.container.directory.default_language)

    # -- pages ------------------------------------------------------------------------
    async def index(self, request):
        teams = [x for x in self.container.directory.teams.values() if x.web_form != "off"]
        return render(request, "index.html", self.lang(request), teams=sorted(teams, key=lambda x: x.name))

    async def form(self, request):
        team = self.team(request)
        return self.show(request, team, self.lang(request, team)) if team else not_found(request, self.lang(request))

    async def submit(self, request):
        team = self.team(request)
        lang = self.lang(request, team)
        if team is None:
            return not_found(request, lang)
        form = await self.guard.read_form(request)
        if form == "too-large":
            return render(request, "message.html", lang, 413, title=t("web.too_large_title", lang),
                          text=t("web.too_large_text", lang, size=f"{self.web.max_body_bytes // 1024} KB"))
        values = {k: str(form.get(k) or "").strip() for k in ("title", "description", "category", "priority",
                                                               "name", "email")} if form else {}
        nonce = self.guard.check(request, form) if form else None
        if nonce is None or self.guard.is_bot(form):
            return self.show(request, team, lang, values=values, errors={"title": t("web.error_expired", lang)},
                             status=400)
        if team.web_form == "sign-in":
            values["email"] = self.signed_in(request, team) or ""
            if not values["email"]:
                return self.show(request, team, lang, status=400)
        files, errors = await self.check(form, values, team, lang)
        if not errors and not self.guard.allow_ip(request):
            errors["title"] = t("web.error_rate", lang)
        if not errors and not self.guard.allow_email(values["email"]):
            errors["email"] = t("web.error_rate", lang)
        if errors:
            return self.show(request, team, lang, values=values, errors=errors, status=422)
        outcome = await run_in_threadpool(self.open, team, values, files, nonce, lang)
        if outcome.error is not None:
            field = FIELD_OF.get(outcome.error.key, "title")
            message = t(f"error.{outcome.error.key}", lang, **outcome.error.params)
            return self.show(request, team, lang, values=values, errors={field: message}, status=422)
        if outcome.ticket is None:
            return render(request, "message.html", lang, 202, title=t("web.pending_title", lang),
                          text=t("web.pending_text", lang))
        link = await run_in_threadpool(self.links.status_url, outcome.ticket.id, outcome.ticket.requester)
        return render(request, "done.html", lang, 201, key=outcome.ticket.key, link=link,
                      mailed="email" in self.container.notifiers)

    async def check(self, form, values, team, lang):
        errors: dict[str, str] = {}
        if not values["title"]:
            errors["title"] = t("web.error_title", lang)
        if team.categories and values["category"] and values["category"] not in team.categories:
            errors["category"] = t("web.error_category", lang)
        if values["priority"] and (not team.requester_priority or values["priority"] not in {p.value for p in Priority}):
            errors["priority"] = t("web.error_priority", lang)
        if not values["name"]:
            errors["name"] = t("web.error_name", lang)
        if not valid_email(values["email"]):
            errors["email"] = t("web.error_email", lang)
        files = []
        uploads = [f for f in form.getlist("attachments") if hasattr(f, "read") and getattr(f, "filename", "")]
        if len(uploads) > self.web.attachment_max_files:
            errors["attachments"] = t("web.error_files", lang, count=self.web.attachment_max_files)
        for upload in uploads[:self.web.attachment_max_files]:
            data = await upload.read(self.web.attachment_max_bytes + 1)
            ctype = (upload.content_type or "").split(";")[0].strip().lower()
            if ctype not in self.web.allowed_types() or len(data) > self.web.attachment_max_bytes:
                errors["attachments"] = t("web.error_file", lang, name=upload.filename[:80])
            files.append((upload.filename[:200], ctype, data))
        return files, errors

    def open(self, team, values, files, nonce, lang):
        key = f"web:form:{nonce}"
        requester = f"email:{values['email'].lower()}"
        if files:
            self.intake.store.attach(key, files, self.container.clock.now())
        payload = {"actor": requester, "requester": requester, "lang": lang, "team": team.key,
                   "title": values["title"], "description": values["description"],
                   "category": values["category"] or None, "priority": values["priority"] or None,
                   "name": values["name"], "source": "web", "notify": True, "attachments": len(files)}
        return self.intake.submit(Inbound(key=key, platform="web", kind="open", payload=payload))

    # -- sign-in ----------------------------------------------------------------------
    async def sign_in(self, request):
        team = self.team(request)
        lang = self.lang(request, team)
        if team is None or team.web_form != "sign-in":
            return not_found(request, lang)
        form = await self.guard.read_form(request)
        email = str(form.get("email") or "").strip().lower() if form not in (None, "too-large") else ""
        if form in (None, "too-large") or self.guard.check(request, form) is None or self.guard.is_bot(form):
            return self.show(request, team, lang, values={"email": email}, status=400,
                             errors={"email": t("web.error_expired", lang)})
        if not valid_email(email):
            return self.show(request, team, lang, values={"email": email}, status=422,
                             errors={"email": t("web.error_email", lang)})
        if "email" not in self.container.notifiers:
            return self.show(request, team, lang, values={"email": email}, status=503,
                             errors={"email": t("web.error_no_mail", lang)})
        if not self.guard.allow_ip(request) or not self.guard.allow_email(email):
            return self.show(request, team, lang, values={"email": email}, status=429,
                             errors={"email": t("web.error_rate", lang)})
        await run_in_threadpool(self.mail_sign_in, team, email, lang)
        return render(request, "message.html", lang, title=t("web.check_mail_title", lang),
                      text=t("web.check_mail_text", lang, email=email))

    def mail_sign_in(self, team, email: str, lang: str) -> None:
        token = self.links.sign_in_token(email, team.key)
        link = f"{(self.web.base_url or '').rstrip('/')}/t/{team.key.lower()}/verify/{token}"
        self.intake.store.queue(Outgoing(platform="email", target=f"user:email:{email}", template="web_sign_in",
                                         params={"team": team.name, "link": link,
                                                 "subject": t("web.sign_in_subject", lang, team=team.name)}, lang=lang,
                                         dedup_key=f"web:sign-in:{token}"), self.container.clock.now())

    async def verify(self, request):
        team = self.team(request)
        lang = self.lang(request, team)
        row = await run_in_threadpool(self.links.use_sign_in, request.path_params["token"]) if team else None
        if row is None or row.data.get("team") != team.key:
            return not_found(request, lang)
        response = RedirectResponse(f"/t/{team.key.lower()}", status_code=303)
        until = self.container.clock.now() + timedelta(hours=12)
        response.set_cookie(SIGNIN_COOKIE, self.links.seal(f"{team.key}|{row.subject}", until), max_age=12 * 3600,
                            httponly=True, samesite="lax", secure=self.guard.secure)
        return response


def form_router(container, intake) -> WebRouter:
    pages = FormPages(container, intake)
    return WebRouter("form", routes=[
        Route("/", pages.index, methods=["GET"]),
        Route("/t/{team}", pages.form, methods=["GET"]),
        Route("/t/{team}", pages.submit, methods=["POST"]),
        Route("/t/{team}/sign-in", pages.sign_in, methods=["POST"]),
        Route("/t/{team}/verify/{token}", pages.verify, methods=["GET"]),
    ])
