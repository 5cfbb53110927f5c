"""The REST API under /api/v1: Bearer tokens scoped to teams, idempotent writes through the inbox,
RFC 9457 problems. Reads come straight from storage, as `tiket tickets show --json` does."""
from __future__ import annotations

import hashlib
import json
import uuid
from typing import Optional

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from bot.web.api_models import CommentIn, Problem, Status, TicketDetail, TicketIn, TicketPage, requester_id
from bot.web.app import WebRouter
from bot.web.limits import BodyTooLarge
from bot.web.problems import from_ticket_error, problem
from storage.api_tokens import ApiToken, ApiTokens
from tickets.errors import TicketError
from tickets.model import parse_key
from tickets.ports import Inbound
from tickets.serialize import ticket_json

bearer = HTTPBearer(auto_error=False, description="`tiket api token create --team IT --name NAME`")
ERRORS = {code: {"model": Problem, "content": {"application/problem+json": {}}}
          for code in (401, 403, 404, 413, 415, 422, 429, 503)}


def token_of(request: Request, _: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> ApiToken:
    return request.state.token


def body_hash(model) -> str:
    return hashlib.sha256(json.dumps(model.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def api_router(container, intake, *, wait: float = 10.0) -> WebRouter:
    tokens = ApiTokens(container.engine)

    class Guarded(APIRoute):
        """Token first (401), then the media type of a body (415), then FastAPI reads the body."""

        def get_route_handler(self):
            handler = super().get_route_handler()

            async def guarded(request: Request):
                scheme, _, value = request.headers.get("authorization", "").partition(" ")
                token = None
                if scheme.lower() == "bearer" and value.strip():
                    token = await run_in_threadpool(tokens.verify, value.strip(), container.clock.now())
                if token is None:
                    return problem(401, "Send Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"})
                if request.method == "POST":
                    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
                    if media != "application/json" and not media.endswith("+json"):
                        return problem(415, f"'{media or 'no content type'}' is not application/json")
                    try:
                        await request.body()  # read here, so a body over the limit is 413, not a parse error
                    except BodyTooLarge:
                        return problem(413)
                request.state.token = token
                return await handler(request)
            return guarded

    router = APIRouter(prefix="/api/v1", route_class=Guarded, responses=ERRORS, tags=["tickets"])

    def scoped(token: ApiToken, key: str):
        """The ticket key's team, or the problem to answer (bad/unknown key 404, other team 403)."""
        try:
            team, number = parse_key(key)
        except TicketError:
            return None, problem(404, f"'{key[:40]}' is not a ticket key")
        if team not in container.directory.teams:
            return None, problem(404, f"no ticket {key.upper()[:40]}")
        if team not in token.teams:
            return None, problem(403, f"the token may not see team {team}")
        return (team, number), None

    def detail(team: str, number: int):
        with intake.read() as uow:
            ticket = uow.tickets.get(team, number)
            if ticket is None:
                return None
            data = ticket_json(ticket, comments=uow.comments(ticket.id, include_internal=False),
                               history=uow.events(ticket.id))
        data["ratings"] = intake.store.ratings(ticket.id)  # as `tiket tickets show --json` adds them
        last = data["ratings"][-1] if data["ratings"] else None
        data["rating"], data["rating_comment"] = (last["score"], last["comment"]) if last else (None, None)
        return data

    def answer(outcome, kind: str, body: str, status: int):
        if outcome.payload is not None and outcome.payload.get("body_hash") != body:
            return problem(422, "this Idempotency-Key was used with a different body", code="idempotency-mismatch")
        if outcome.error is not None:
            return from_ticket_error(outcome.error)
        if outcome.pending or outcome.ticket is None:
            return problem(503, headers={"Retry-After": "5"})
        from starlette.responses import JSONResponse

        return JSONResponse(detail(outcome.ticket.team, outcome.ticket.number), status_code=status)

    def entry_key(token: ApiToken, kind: str, idempotency_key: str | None) -> str:
        if not idempotency_key:
            return f"web:api:{uuid.uuid4().hex}"
        return f"web:api:{token.name}:{kind}:{hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]}"

    @router.post("/tickets", status_code=201, response_model=TicketDetail, summary="Open a ticket")
    def create(body: TicketIn, token: ApiToken = Depends(token_of),
               idempotency_key: Optional[str] = Header(None, alias="Idempotency-Key", max_length=200)):
        team = body.team.upper()
        if team not in container.directory.teams:
            return problem(422, f"unknown team {team}", code="unknown-team")
        if team not in token.teams:
            return problem(403, f"the token may not write to team {team}")
        digest = body_hash(body)
        payload = {"actor": token.actor, "lang": "en", "team": team, "title": body.title,
                   "description": body.description, "priority": body.priority, "category": body.category,
                   "requester": body.requester or token.actor, "source": "api",
                   "external_reference": body.external_reference, "body_hash": digest}
        key = entry_key(token, "open", idempotency_key)
        outcome = intake.submit(Inbound(key=key, platform="web", kind="open", payload=payload), wait=wait)
        return answer(outcome, "open", digest, 201)

    @router.get("/tickets/{key}", response_model=TicketDetail, summary="One ticket with its public comments")
    def show(key: str, token: ApiToken = Depends(token_of)):
        where, refused = scoped(token, key)
        if refused is not None:
            return refused
        found = detail(*where)
        return found if found is not None else problem(404, f"no ticket {key.upper()}")

    @router.get("/tickets", response_model=TicketPage, summary="Tickets of the token's teams, newest first")
    def search(token: ApiToken = Depends(token_of), team: Optional[str] = Query(None, max_length=10),
               status: Optional[Status] = None, requester: Optional[str] = Query(None, max_length=255),
               page: int = Query(1, ge=1, le=1000), per_page: int = Query(None, ge=1, le=200)):
        per_page = per_page or container.settings.web.api_page_size
        teams = sorted(token.teams & set(container.directory.teams))
        if team:
            if team.upper() not in token.teams:
                return problem(403, f"the token may not see team {team.upper()[:10]}")
            teams = [team.upper()]
        try:
            who = requester_id(requester)
        except ValueError as exc:
            return problem(422, str(exc), code="invalid")
        limit = page * per_page + 1
        with intake.read() as uow:
            found = uow.tickets.search(teams=teams, statuses=[status] if status else None, party=who,
                                       limit=limit * (4 if who else 1)) if teams else []
        if who:
            found = [t for t in found if t.requester == who][:limit]
        chunk = found[(page - 1) * per_page:page * per_page]
        return {"items": [ticket_json(t) for t in chunk], "page": page, "per_page": per_page,
                "next_page": page + 1 if len(found) > page * per_page else None}

    @router.post("/tickets/{key}/comments", status_code=201, response_model=TicketDetail,
                 summary="Add a public comment (lands in the ticket's chat thread)")
    def comment(key: str, body: CommentIn, token: ApiToken = Depends(token_of),
                idempotency_key: Optional[str] = Header(None, alias="Idempotency-Key", max_length=200)):
        where, refused = scoped(token, key)
        if refused is not None:
            return refused
        ticket_key = f"{where[0]}-{where[1]}"
        if body.author and body.author != token.actor:
            with intake.read() as uow:
                ticket = uow.tickets.get(*where)
            if ticket is None:
                return problem(404, f"no ticket {ticket_key}")
            if body.author != ticket.requester:
                return problem(403, "a comment's author is the ticket's requester or the token", code="forbidden")
        digest = body_hash(body)
        payload = {"actor": body.author or token.actor, "lang": "en", "ticket": ticket_key, "text": body.body,
                   "body_hash": digest}
        key_ = entry_key(token, f"comment:{ticket_key}", idempotency_key)
        outcome = intake.submit(Inbound(key=key_, platform="web", kind="comment", payload=payload), wait=wait)
        return answer(outcome, "comment", digest, 201)

    return WebRouter("api", api=router)
