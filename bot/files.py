"""Files Tiket writes for people (exports, charts, attachments, privacy archives): owner-only.

`write_private` creates the file with mode 0600 from the start (never world-readable, not even
for a moment) and tightens an existing file before overwriting it.
"""
from __future__ import annotations

import os
from pathlib import Path


def write_private(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb", closefd=False) as fh:
            fh.write(data)
    finally:
        os.close(fd)
    return path
