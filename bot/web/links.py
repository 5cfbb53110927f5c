"""Signed links and tokens: a requester's status page (one per ticket and requester, revocable),
one-time sign-in links, signed cookies and the form's CSRF tokens. All HMAC-SHA256 with the secret key."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Signer:
    def __init__(self, secret: str) -> None:
        self.key = hashlib.sha256(("tiket-web:" + secret).encode()).digest()

    def sign(self, *parts: object) -> str:
        message = "\x1f".join(str(p) for p in parts).encode("utf-8")
        return _b64(hmac.new(self.key, message, hashlib.sha256).digest()[:24])

    def check(self, signature: str, *parts: object) -> bool:
        return hmac.compare_digest(signature.encode(), self.sign(*parts).encode())


class Links:
    def __init__(self, store, signer: Signer, clock, base_url: str) -> None:
        self.store, self.signer, self.clock = store, signer, clock
        self.base_url = base_url.rstrip("/")

    @classmethod
    def from_container(cls, container, store) -> "Links":
        web = container.settings.web
        secret = web.secret_key.get_secret_value() if web.secret_key else ""
        return cls(store, Signer(secret), container.clock, web.base_url or "")

    # -- status pages -----------------------------------------------------------------
    def status_token(self, ticket_id: int, requester: str) -> str:
        row = self.store.link("status", ticket_id, requester, secrets.token_urlsafe(18), self.clock.now())
        return f"{row.id}.{self.signer.sign('status', row.id, row.ticket_id, row.subject, row.nonce)}"

    def status_url(self, ticket_id: int, requester: str) -> str:
        return f"{self.base_url}/s/{self.status_token(ticket_id, requester)}"

    def status_link(self, token: str):
        """The live status link a token names, or None (wrong, forged or revoked)."""
        row = self._row(token, "status")
        if row is None or not self.signer.check(token.partition(".")[2], "status", row.id, row.ticket_id,
                                                row.subject, row.nonce):
            return None
        return row

    # -- sign-in ----------------------------------------------------------------------
    def sign_in_token(self, email: str, team: str, minutes: int = 30) -> str:
        now = self.clock.now()
        row = self.store.link("sign-in", None, email, secrets.token_urlsafe(18), now, reuse=False,
                              expires_at=now + timedelta(minutes=minutes), data={"team": team})
        return f"{row.id}.{self.signer.sign('sign-in', row.id, row.subject, row.nonce)}"

    def use_sign_in(self, token: str):
        """The sign-in link's row, used up now; None when wrong, expired or used before."""
        row = self._row(token, "sign-in")
        if row is None or not self.signer.check(token.partition(".")[2], "sign-in", row.id, row.subject, row.nonce):
            return None
        if row.expires_at is not None and row.expires_at <= self.clock.now():
            return None
        return row if self.store.use_link(row.id, self.clock.now()) else None

    def _row(self, token: str, kind: str):
        head, _, sig = (token or "").partition(".")
        if not (head.isascii() and head.isdigit()) or len(head) > 18 or not sig or len(sig) > 64:
            return None
        row = self.store.get_link(int(head))
        if row is None or row.kind != kind or row.revoked_at is not None:
            return None
        return row

    # -- signed values (cookies) and CSRF ---------------------------------------------
    def seal(self, value: str, until: datetime) -> str:
        stamp = int(until.timestamp())
        return f"{_b64(value.encode())}.{stamp}.{self.signer.sign('seal', value, stamp)}"

    def unseal(self, sealed: str | None) -> str | None:
        try:
            raw, stamp, sig = (sealed or "").split(".")
            value = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
            if int(stamp) < self.clock.now().timestamp() or not self.signer.check(sig, "seal", value, int(stamp)):
                return None
            return value
        except (ValueError, UnicodeDecodeError):
            return None

    def csrf(self, cookie: str) -> str:
        nonce = secrets.token_urlsafe(12)
        return f"{nonce}.{self.signer.sign('csrf', cookie, nonce)}"

    def check_csrf(self, cookie: str | None, token: str | None) -> str | None:
        """The form's nonce when its token matches this browser's cookie, else None."""
        nonce, _, sig = (token or "").partition(".")
        if not cookie or not nonce or len(nonce) > 40 or not self.signer.check(sig, "csrf", cookie, nonce):
            return None
        return nonce
