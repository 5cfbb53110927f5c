"""The IMAP side of mail in: new mail -> the inbox; processed mail -> `Tiket/Processed`, failed -> `Tiket/Failed`.

One `sync()` reads the header block and size of every mail in the mailbox folder, stores each
new one (whole, or only its headers when it is above the size limit) and puts an inbox entry
keyed ``email:<Message-ID>``; a mail whose entry is done is flagged ``\\Seen`` and moved to the
processed folder, one whose entry is dead (failed 5 times) to the failed folder. So a mail is
moved only after the transaction that handled it committed; a crash in between processes
nothing twice (the inbox knows the key). One broken mail never stops the loop.
"""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


from tickets.ports import Clock, Inbound

log = logging.getLogger(__name__)
ID_RE = re.compile(rb"^message-id:\s*(.*?)\r?$", re.IGNORECASE | re.MULTILINE)
BATCH = 100


@dataclass
class ImapTarget:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str


def imap_target(url: str) -> ImapTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps", "imap+starttls"):
        raise ValueError(f"TIKET_EMAIL__IMAP_URL must start with imap:// or imaps://, not {parts.scheme or '?'}://")
    if not parts.hostname:
        raise ValueError("TIKET_EMAIL__IMAP_URL names no host")
    port = parts.port or (993 if parts.scheme == "imaps" else 143)
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapTarget(parts.scheme, parts.hostname, port, unquote(parts.username or ""),
                      unquote(parts.password or ""), folder)


def connect(url: str, timeout: float = 30.0):
    from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted

    target = imap_target(url)
    if target.scheme == "imaps":
        box = MailBox(target.host, target.port, timeout=timeout)
    elif target.scheme == "imap+starttls":
        box = MailBoxStartTls(target.host, target.port, timeout=timeout)
    else:
        box = MailBoxUnencrypted(target.host, target.port, timeout=timeout)
    return box.login(target.user, target.password, initial_folder=target.folder)


def mail_key(headers: bytes) -> str:
    found = ID_RE.search(headers)
    value = found.group(1).decode("utf-8", "replace").strip() if found else ""
    match = re.search(r"<([^<>\s]+)>", value)
    message_id = match.group(1) if match else value.split()[0] if value.split() else ""
    if not message_id:
        message_id = f"no-id.{hashlib.sha256(headers).hexdigest()[:32]}@tiket.invalid"
    return f"email:{message_id}"[:255]


def _fetched(data) -> list[tuple[str, int, bytes]]:
    """(uid, size, bytes) of each item of a UID FETCH answer."""
    out = []
    for item in data or []:
        if not isinstance(item, tuple) or len(item) < 2:
            continue
        meta = item[0].decode("ascii", "replace")
        uid = re.search(r"UID (\d+)", meta)
        size = re.search(r"RFC822\.SIZE (\d+)", meta)
        if uid:
            out.append((uid.group(1), int(size.group(1)) if size else len(item[1]), item[1]))
    return out


class MailFetcher:
    def __init__(self, settings, inbox, store, clock: Clock) -> None:
        self.settings = settings  # EmailSettings
        self.inbox = inbox  # SqlInbox
        self.store = store
        self.clock = clock
        self.box = None
        self.folder = "INBOX"
        self.delimiter = "/"

    # -- connection -----------------------------------------------------------------------
    def open(self):
        if self.box is None:
            url = self.settings.imap_url.get_secret_value()
            self.folder = imap_target(url).folder
            self.box = connect(url)
            listed = self.box.folder.list()
            self.delimiter = listed[0].delim if listed and listed[0].delim else "/"
            for name in (self.settings.processed_folder, self.settings.failed_folder):
                self.ensure(self.server_name(name))
        return self.box

    def close(self) -> None:
        if self.box is not None:
            try:
                self.box.logout()
            except Exception:
                pass
            self.box = None

    def server_name(self, name: str) -> str:
        return name.replace("/", self.delimiter)

    def ensure(self, folder: str) -> None:
        if not self.box.folder.exists(folder):
            parent = folder.rsplit(self.delimiter, 1)[0] if self.delimiter in folder else None
            if parent and not self.box.folder.exists(parent):
                self.box.folder.create(parent)
            self.box.folder.create(folder)

    # -- one round --------------------------------------------------------------------------
    def sync(self) -> int:
        """Store new mail, move what is finished; returns how many new mails were stored."""
        box = self.open()
        now = self.clock.now()
        new = 0
        try:
            box.folder.set(self.folder)
            new = self._sync_folder(box, self.folder, take_new=True)
            failed = self.server_name(self.settings.failed_folder)
            box.folder.set(failed)
            self._sync_folder(box, failed, take_new=False)  # retried with `tiket email retry`
            box.folder.set(self.folder)
            self.store.fetched(now, new)
        except Exception as exc:
            self.store.fetched(now, new, f"{type(exc).__name__}: {exc}")
            self.close()
            raise
        return new

    def _sync_folder(self, box, folder: str, *, take_new: bool) -> int:
        uids = list(box.uids("ALL"))
        new = 0
        for start in range(0, len(uids), BATCH):
            chunk = uids[start:start + BATCH]
            typ, data = box.client.uid("FETCH", ",".join(chunk), "(UID RFC822.SIZE BODY.PEEK[HEADER])")
            items = [(uid, size, mail_key(headers), headers) for uid, size, headers in _fetched(data)]
            status = self.statuses([key for _, _, key, _ in items])
            done = [(uid, key) for uid, _, key, _ in items if status.get(key) == "done"]
            dead = [uid for uid, _, key, _ in items if status.get(key) == "dead" and take_new]
            fresh = [(uid, size, key, headers) for uid, size, key, headers in items
                     if key not in status and take_new]
            new += self._take(box, folder, fresh)
            if done:
                box.flag([u for u, _ in done], "\\Seen", True)
                box.move([u for u, _ in done], self.server_name(self.settings.processed_folder))
                self.store.drop_raw(k for _, k in done)
            if dead:
                box.move(dead, self.server_name(self.settings.failed_folder))
        return new

    def statuses(self, keys: list[str]) -> dict[str, str]:
        if not keys:
            return {}
        return self.inbox.statuses(keys)

    def _take(self, box, folder: str, fresh: list[tuple[str, int, str, bytes]]) -> int:
        limit = self.settings.max_mail_bytes
        small = [f for f in fresh if f[1] <= limit]
        bodies: dict[str, bytes] = {}
        for start in range(0, len(small), 20):
            uids = [f[0] for f in small[start:start + 20]]
            try:
                typ, data = box.client.uid("FETCH", ",".join(uids), "(UID BODY.PEEK[])")
                bodies.update({uid: raw for uid, _, raw in _fetched(data)})
            except Exception as exc:  # one bad batch: the next round tries again
                log.warning("fetching mail %s failed: %s", uids, exc)
        taken = 0
        for uid, size, key, headers in fresh:
            raw = bodies.get(uid)
            if size <= limit and raw is None:
                continue
            now = self.clock.now()
            self.store.save_raw(key, uid=uid, folder=folder, size=size, raw=raw if size <= limit else None,
                                headers=headers, now=now)
            kind = "mail" if size <= limit else "oversize"
            if self.inbox.put(Inbound(key=key, platform="email", kind=kind, payload={"uid": uid, "size": size},
                                      reply={}), now):
                taken += 1
        return taken

    # -- waiting for mail ------------------------------------------------------------------------
    def wait(self, seconds: float) -> None:
        """IDLE until something arrives (or `seconds` pass) when the server offers it; else sleep."""
        box = self.open()
        if "IDLE" in getattr(box.client, "capabilities", ()):
            box.idle.wait(timeout=seconds)
        else:
            import time

            time.sleep(seconds)
