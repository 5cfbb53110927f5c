"""What protects the HTML forms: a CSRF token tied to a cookie of this browser, the honeypot field,
rate windows per client address and per email address, and reading a body under the size limit."""
from __future__ import annotations

import re
import secrets

from bot.web.limits import BodyTooLarge, RateWindow

CSRF_COOKIE = "tiket_csrf"
HONEYPOT = "website"
EMAIL_RE = re.compile(r"^[^@\s<>\"',;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}$")


class FormGuard:
    def __init__(self, container, links) -> None:
        web = container.settings.web
        self.links = links
        self.secure = (web.base_url or "").startswith("https://")
        self.per_ip = RateWindow(web.rate_per_ip_per_hour)
        self.per_email = RateWindow(web.rate_per_email_per_hour)
        self.max_files = web.attachment_max_files

    def csrf(self, request) -> tuple[str, str | None]:
        """(token for the page's form, cookie to set or None when the browser has one)."""
        cookie = request.cookies.get(CSRF_COOKIE)
        fresh = None
        if not cookie or len(cookie) > 64:
            cookie = fresh = secrets.token_urlsafe(18)
        return self.links.csrf(cookie), fresh

    def set_cookie(self, response, fresh: str | None):
        if fresh:
            response.set_cookie(CSRF_COOKIE, fresh, httponly=True, samesite="lax", secure=self.secure)
        return response

    def check(self, request, form) -> str | None:
        """The form's nonce when its CSRF token is good, else None."""
        return self.links.check_csrf(request.cookies.get(CSRF_COOKIE), str(form.get("csrf") or ""))

    @staticmethod
    def is_bot(form) -> bool:
        return bool(str(form.get(HONEYPOT) or "").strip())

    @staticmethod
    def client(request) -> str:
        return request.client.host if request.client else "unknown"

    def allow_ip(self, request) -> bool:
        return self.per_ip.allow(self.client(request))

    def allow_email(self, email: str) -> bool:
        return self.per_email.allow(email.lower())

    async def read_form(self, request):
        """The parsed form, "too-large" past the body limit, or None for a body that is not a form."""
        try:
            return await request.form(max_files=self.max_files + 1, max_fields=50)
        except BodyTooLarge:
            return "too-large"
        except Exception:  # a malformed multipart body or a wrong content type
            return None


def valid_email(value: str) -> bool:
    return bool(EMAIL_RE.match(value or ""))
