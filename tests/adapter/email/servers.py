"""Real mail servers for the tests: Dovecot (IMAP) under a temporary directory and aiosmtpd (SMTP).

Dovecot runs with a throwaway configuration on a free loopback port: a static password
database, Maildir storage, as the current user (a root test run uses Dovecot's own `dovecot`
and `dovenull` users, since Dovecot refuses to serve mail as root). Nothing is installed as a
system service; `stop()` ends the process it started.
"""
from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

PASSWORD = "secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next((p for p in ("/usr/sbin/dovecot",) if os.path.exists(p)), None)


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
mail_fsync = never
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    user = {user}
  }}
  unix_listener stats-writer {{
    user = {user}
  }}
}}
"""


class Dovecot:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tiket-dovecot-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Dovecot":
        binary = dovecot_binary()
        if binary is None:
            raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd; scripts/test does it)")
        if os.getuid() == 0:  # Dovecot serves mail and logins only as unprivileged users
            user, login_user = "dovecot", "dovenull"
            uid, gid = pwd.getpwnam(user).pw_uid, grp.getgrnam(user).gr_gid
            for path in (self.root, self.root / "mail", self.root / "home"):
                path.mkdir(exist_ok=True)
                os.chown(path, uid, gid)
        else:
            uid, gid = os.getuid(), os.getgid()
            user = login_user = pwd.getpwuid(uid).pw_name
        group = grp.getgrgid(gid).gr_name
        conf = self.root / "dovecot.conf"
        conf.write_text(CONFIG.format(root=self.root, user=user, group=group, login_user=login_user, uid=uid,
                                      gid=gid, port=self.port, password=PASSWORD))
        self.proc = subprocess.Popen([binary, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while True:
            try:
                client = imaplib.IMAP4("127.0.0.1", self.port, timeout=2)
                client.login("probe", PASSWORD)
                client.logout()
                return self
            except (OSError, imaplib.IMAP4.error):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"dovecot did not start: {self.log()[-2000:]}")
                time.sleep(0.05)  # bounded wait for the server to listen

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, user: str = "helpdesk", folder: str = "INBOX") -> str:
        return f"imap://{user}:{PASSWORD}@127.0.0.1:{self.port}/{folder}"

    def client(self, user: str = "helpdesk") -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, PASSWORD)
        return client

    def append(self, raw: bytes | EmailMessage, folder: str = "INBOX", user: str = "helpdesk") -> None:
        data = raw.as_bytes() if isinstance(raw, EmailMessage) else raw
        client = self.client(user)
        try:
            typ, detail = client.append(folder, "", None, data)
            assert typ == "OK", detail
        finally:
            client.logout()

    def messages(self, folder: str = "INBOX", user: str = "helpdesk") -> list[tuple[set[str], bytes]]:
        """(flags, raw) of every mail in a folder (empty when the folder does not exist)."""
        client = self.client(user)
        try:
            typ, _ = client.select(f'"{folder}"', readonly=True)
            if typ != "OK":
                return []
            typ, data = client.uid("SEARCH", None, "ALL")
            uids = data[0].split()
            out = []
            for uid in uids:
                typ, got = client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                meta = got[0][0].decode()
                flags = {f.decode() for f in imaplib.ParseFlags(meta.encode())}
                out.append((flags, got[0][1]))
            return out
        finally:
            client.logout()


class SmtpRecorder:
    """aiosmtpd on a loopback port; keeps every mail it receives (and can refuse the next ones)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.arrived: list[float] = []  # time.perf_counter() of each mail received (the benchmark reads it)
        self.refuse_next = 0
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.3.0 try again later"
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
            self.arrived.append(time.perf_counter())
        return "250 OK"

    def start(self) -> "SmtpRecorder":
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def mails(self, to: str | None = None) -> list[EmailMessage]:
        with self.lock:
            found = list(self.received)
        return [message_from_bytes(raw, policy=policy.default) for _, rcpts, raw in found
                if to is None or to in rcpts]
