"""Server-rendered pages: Jinja2 templates (autoescaped), the language from ?lang=, a cookie or
Accept-Language, every text from the catalog (bot/locales/<lang>/web.po)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from starlette.responses import HTMLResponse

from bot.i18n import LANGUAGES, t

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANG_COOKIE = "tiket_lang"


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def accepted(header: str) -> list[str]:
    """Accept-Language's languages, best first (`id-ID,id;q=0.9,en;q=0.8` -> id, id, en)."""
    found = []
    for part in header.split(",")[:20]:
        name, _, params = part.strip().partition(";")
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        found.append((q, name.strip().split("-")[0].lower()))
    return [name for q, name in sorted(found, key=lambda x: -x[0]) if q > 0]


def language(request, default: str = "en") -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for name in accepted(request.headers.get("accept-language", "")):
        if name in LANGUAGES:
            return name
    return default if default in LANGUAGES else "en"


def render(request, template: str, lang: str, status: int = 200, **context) -> HTMLResponse:
    def _(msg_id: str, /, **params) -> str:
        return t(f"web.{msg_id}", lang, **params)

    html = environment().get_template(template).render(_=_, lang=lang, path=request.url.path, **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'unsafe-inline'; form-action 'self'"
    response.headers["Referrer-Policy"] = "no-referrer"  # status links must not leak to other sites
    response.headers["Cache-Control"] = "no-store"
    return response


def not_found(request, lang: str):
    """The one answer for an unknown team, a form that is off, a wrong or revoked link."""
    return render(request, "message.html", lang, status=404, title=t("web.not_found_title", lang),
                  text=t("web.not_found_text", lang))
