"""RFC 9457 problem details for the API, with stable `type` codes, and the domain's refusals mapped
onto them (the detail is the catalog's English text)."""
from __future__ import annotations

from starlette.responses import JSONResponse

from bot.i18n import t
from tickets.errors import (InvalidTransition, NotFound, PermissionDenied, RateLimited, TicketError,
                            ValidationError)

PROBLEMS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Missing or invalid token"),
    403: ("forbidden", "Outside the token's teams"),
    404: ("not-found", "No such ticket"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflicting state"),
    413: ("too-large", "Request body too large"),
    415: ("unsupported-media-type", "Send application/json"),
    422: ("invalid", "Invalid request"),
    429: ("rate-limited", "Too many requests"),
    503: ("busy", "Accepted but not handled yet; repeat with the same Idempotency-Key"),
}


def type_uri(code: str) -> str:
    return f"urn:tiket:problem:{code}"


def problem(status: int, detail: str | None = None, *, code: str | None = None, headers: dict | None = None,
            **extra) -> JSONResponse:
    default_code, title = PROBLEMS.get(status, ("error", "Error"))
    body = {"type": type_uri(code or default_code), "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def from_ticket_error(exc: TicketError) -> JSONResponse:
    detail = t(f"error.{exc.key}", "en", **exc.params)
    if isinstance(exc, NotFound) or (isinstance(exc, PermissionDenied) and exc.key == "not_found"):
        return problem(404, detail, code="not-found")
    if isinstance(exc, PermissionDenied):
        return problem(403, detail, code="forbidden")
    if isinstance(exc, RateLimited):
        return problem(429, detail, code="rate-limited")
    if isinstance(exc, InvalidTransition):
        return problem(409, detail, code="invalid-transition")
    if isinstance(exc, ValidationError):
        return problem(422, detail, code=exc.key.replace("_", "-"))
    return problem(422, detail, code="refused")


def install(app) -> None:
    """Problem responses for FastAPI's own errors under /api/ (validation, unknown route, 413)."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from bot.web.limits import BodyTooLarge

    async def invalid(request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return problem(422, "Some fields are missing or invalid", code="invalid", errors=errors)

    async def http_error(request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            return problem(exc.status_code, str(exc.detail) if exc.detail else None, headers=exc.headers)
        from starlette.responses import PlainTextResponse

        return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)

    async def too_large(request, exc):
        return problem(413, code="too-large")

    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(BodyTooLarge, too_large)
