"""A fake Slack Web API on a loopback port: records every call, answers like Slack,
enforces the Block Kit limits and can be told to rate-limit a method (429 + Retry-After).

Messages posted through it are kept per channel, so conversations.history/replies
and chat.getPermalink behave; tests seed users, user groups and messages.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlparse

from tests.adapter.slack.fake_files import FilesMixin

MESSAGE_BLOCKS, SURFACE_BLOCKS = 50, 100
SECTION_TEXT, BUTTON_TEXT, OPTION_TEXT, HEADER_TEXT, FIELD_TEXT = 3000, 75, 75, 150, 2000
VIEW_TITLE, ACTION_ELEMENTS, OPTIONS = 24, 25, 100
BLOCK_METHODS = {"chat.postMessage": MESSAGE_BLOCKS, "chat.update": MESSAGE_BLOCKS,
                 "chat.postEphemeral": MESSAGE_BLOCKS, "response_url": MESSAGE_BLOCKS,
                 "views.open": SURFACE_BLOCKS, "views.update": SURFACE_BLOCKS, "views.push": SURFACE_BLOCKS,
                 "views.publish": SURFACE_BLOCKS}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)
    path: str = ""  # the URL path (which response URL was answered)


def block_problems(blocks: list[dict], limit: int) -> list[str]:
    """What real Slack would reject (invalid_blocks) in these blocks."""
    problems = []
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks > {limit}")

    def text_of(obj: dict | None) -> str:
        return (obj or {}).get("text", "") or ""

    def element(el: dict, where: str) -> None:
        if el.get("type") == "button" and len(text_of(el.get("text"))) > BUTTON_TEXT:
            problems.append(f"{where}: button label > {BUTTON_TEXT}")
        options = el.get("options") or []
        if len(options) > OPTIONS:
            problems.append(f"{where}: {len(options)} options > {OPTIONS}")
        for opt in options:
            if len(text_of(opt.get("text"))) > OPTION_TEXT:
                problems.append(f"{where}: option text > {OPTION_TEXT}")

    for i, block in enumerate(blocks):
        kind, where = block.get("type"), f"block {i}"
        if kind == "section":
            if len(text_of(block.get("text"))) > SECTION_TEXT:
                problems.append(f"{where}: section text > {SECTION_TEXT}")
            for f in block.get("fields") or []:
                if len(text_of(f)) > FIELD_TEXT:
                    problems.append(f"{where}: field > {FIELD_TEXT}")
            if block.get("accessory"):
                element(block["accessory"], where)
        elif kind == "header" and len(text_of(block.get("text"))) > HEADER_TEXT:
            problems.append(f"{where}: header > {HEADER_TEXT}")
        elif kind == "actions":
            if len(block.get("elements") or []) > ACTION_ELEMENTS:
                problems.append(f"{where}: too many elements")
            for el in block.get("elements") or []:
                element(el, where)
        elif kind == "input":
            element(block.get("element") or {}, where)
        elif kind == "context":
            for el in block.get("elements") or []:
                if len(text_of(el)) > SECTION_TEXT:
                    problems.append(f"{where}: context text > {SECTION_TEXT}")
    return problems


class FakeSlack(FilesMixin):
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.users: dict[str, dict] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.messages: dict[str, list[dict]] = {}  # channel -> messages (ts, user, text, thread_ts)
        self.rate_limits: dict[str, list[int]] = {}  # method -> Retry-After values for the next calls
        self.errors: dict[str, list[str]] = {}  # method -> Slack error codes for the next calls
        self.oauth_team = "T0INSTALL"
        self.files: dict[str, bytes] = {}  # file id -> content (FilesMixin)
        self._cond = threading.Condition()
        self._ts = 1_700_000_000
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- lifecycle ---------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def start(self) -> "FakeSlack":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- test helpers ------------------------------------------------------------
    def next_ts(self) -> str:
        with self._lock:
            self._ts += 1
            return f"{self._ts}.000100"

    def add_message(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> str:
        ts = self.next_ts()
        self.messages.setdefault(channel, []).append({"ts": ts, "user": user, "text": text, "thread_ts": thread_ts,
                                                       "type": "message"})
        return ts

    def calls_to(self, method: str, **match: Any) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method
                    and all(c.args.get(k) == v for k, v in match.items())]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait (bounded) until predicate() is truthy; every recorded call wakes us."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"condition not met in {timeout}s; calls: "
                                         f"{[c.method for c in self.calls]}")
                self._cond.wait(min(left, 0.5))

    def wait_call(self, method: str, count: int = 1, timeout: float = 10.0, **match: Any) -> list[Call]:
        return self.wait_for(lambda: (found := self.calls_to(method, **match)) and len(found) >= count and found,
                             timeout)

    # -- the API -----------------------------------------------------------------
    def answer(self, method: str, args: dict[str, Any]) -> tuple[int, dict, dict]:
        limits = self.rate_limits.get(method)
        if limits:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(limits.pop(0))}
        errors = self.errors.get(method)
        if errors:
            return 200, {"ok": False, "error": errors.pop(0)}, {}
        limit = BLOCK_METHODS.get(method)
        if limit is not None:
            blocks = args.get("blocks") or (args.get("view") or {}).get("blocks") or []
            if isinstance(blocks, str):
                blocks = json.loads(blocks)
            view = args.get("view")
            problems = block_problems(blocks, limit)
            if isinstance(view, dict) and len(((view.get("title") or {}).get("text") or "")) > VIEW_TITLE:
                problems.append("view title too long")
            if problems:
                self.violations.extend(f"{method}: {p}" for p in problems)
                return 200, {"ok": False, "error": "invalid_blocks", "errors": problems}, {}
        handler = getattr(self, "api_" + method.replace(".", "_"), None)
        return 200, (handler(args) if handler else {"ok": True}), {}

    def api_auth_test(self, args):
        return {"ok": True, "team_id": "T0001", "user_id": "UBOT", "bot_id": "BBOT", "url": "https://fake.slack/"}

    def api_chat_postMessage(self, args):
        channel = args["channel"]
        if channel.startswith("U"):
            channel = "D" + channel[1:]
        ts = self.next_ts()
        self.messages.setdefault(channel, []).append({"ts": ts, "user": "UBOT", "bot_id": "BBOT",
                                                       "text": args.get("text", ""),
                                                       "thread_ts": args.get("thread_ts")})
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": args.get("text", ""), "ts": ts}}

    def api_chat_update(self, args):
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def api_chat_postEphemeral(self, args):
        return {"ok": True, "message_ts": self.next_ts()}

    def api_chat_getPermalink(self, args):
        ts = str(args["message_ts"]).replace(".", "")
        return {"ok": True, "permalink": f"https://fake.slack/archives/{args['channel']}/p{ts}"}

    def api_conversations_open(self, args):
        return {"ok": True, "channel": {"id": "D" + str(args.get("users", "X"))[1:]}}

    def api_conversations_history(self, args):
        latest = args.get("latest")
        found = [m for m in self.messages.get(args["channel"], []) if not m.get("thread_ts") or
                 m["thread_ts"] == m["ts"]]
        found = [m for m in found if latest is None or float(m["ts"]) <= float(latest)]
        return {"ok": True, "messages": list(reversed(found))[: int(args.get("limit", 100))]}

    def api_conversations_replies(self, args):
        msgs = self.messages.get(args["channel"], [])
        ts = args["ts"]
        parent = next((m for m in msgs if m["ts"] == ts), None)
        root = (parent or {}).get("thread_ts") or ts
        thread = [m for m in msgs if m["ts"] == root or m.get("thread_ts") == root]
        return {"ok": True, "messages": thread}

    def api_users_info(self, args):
        user = self.users.get(args["user"], {})
        extra = {"has_2fa": user["has_2fa"]} if "has_2fa" in user else {}  # only admins' tokens see it
        return {"ok": True, "user": {"id": args["user"], "name": user.get("name", args["user"].lower()),
                                     "locale": user.get("locale", "en-US"), "tz": "Asia/Jakarta", **extra}}

    def api_usergroups_users_list(self, args):
        return {"ok": True, "users": self.usergroups.get(args["usergroup"], [])}

    def api_views_open(self, args):
        return {"ok": True, "view": {"id": "V" + self.next_ts().replace(".", "")}}

    api_views_publish = api_views_update = api_views_push = api_views_open

    def api_oauth_v2_access(self, args):
        return {"ok": True, "app_id": "A0TIKET", "access_token": "xoxb-installed", "token_type": "bot",
                "scope": "chat:write,commands", "bot_user_id": "UBOT", "authed_user": {"id": "UADMIN"},
                "team": {"id": self.oauth_team, "name": "Installed Team"}, "enterprise": None,
                "is_enterprise_install": False}

    def api_files_getUploadURLExternal(self, args):
        return {"ok": True, "upload_url": self.base + "/upload/" + args.get("filename", "f"),
                "file_id": "F" + self.next_ts().replace(".", "")}

    def api_files_completeUploadExternal(self, args):
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files or []]}

    # -- HTTP plumbing -----------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                args: dict[str, Any] = dict(parse_qsl(url.query))
                kind = self.headers.get("Content-Type", "")
                if raw and "json" in kind:
                    args.update(json.loads(raw))
                elif raw and "form" in kind:
                    args.update(dict(parse_qsl(raw.decode())))
                for key in ("blocks", "view", "attachments"):
                    if isinstance(args.get(key), str):
                        try:
                            args[key] = json.loads(args[key])
                        except ValueError:
                            pass
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or args.get("token")
                if url.path.startswith("/files-pri/"):  # a shared file's url_private, for the bot token only
                    return fake.serve_file(self, url.path, token)
                if url.path.startswith("/api/"):
                    method = url.path[len("/api/"):]
                elif url.path.startswith("/response/"):
                    method = "response_url"
                elif url.path.startswith("/upload/"):
                    method, args = "file_upload", {"name": url.path.rsplit("/", 1)[-1], "size": len(raw)}
                else:
                    method = url.path
                status, body, headers = fake.answer(method, args)
                with fake._cond:
                    fake.calls.append(Call(method, args, token, path=url.path))
                    fake._cond.notify_all()
                data = json.dumps(body).encode() if method != "file_upload" else b"OK"
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if method != "file_upload" else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

        return Handler
