"""Logging set up from settings: readable lines, or one JSON object per line (`TIKET_LOG_FORMAT=json`).

JSON lines carry the time, level, logger, message and the ids bound by `tickets.logcontext`
(request or job id, ticket key). Anything that looks like a credential is masked on the way out,
as a last guard: the code logs ids, never message bodies or secrets.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from datetime import datetime, timezone

from tickets.logcontext import current

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SECRET = re.compile(r"(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|(?i:bearer)\s+[A-Za-z0-9._~+/=-]{8,}"
                    r"|(?i:password|secret|token)=[^&\s]+|//[^/@\s:]+:[^/@\s]+@)")


def mask(text: str) -> str:
    return SECRET.sub("[redacted]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "msg": mask(record.getMessage())}
        line.update(current())
        if record.exc_info:
            line["error"] = mask(self.formatException(record.exc_info).splitlines()[-1])
        return json.dumps(line, ensure_ascii=False)


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def setup(log_format: str = "text", level: int = logging.WARNING) -> None:
    """Configure the root logger once per process (the CLI calls this before any command)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else MaskingFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
