"""The whole schema: the core tables and every area's tables, on one metadata.

Migrations (storage/migrations/env.py) and the drift test (models == migrations) read
`Base.metadata` from here. A new area module declares its tables on `storage.base.Base`
and gets one import line below.
"""
from __future__ import annotations

import storage.api_tokens  # noqa: F401  (REST API tokens)
import storage.email  # noqa: F401  (email: Message-ID map, attachments, raw mail; bot/email)
import storage.inbox  # noqa: F401  (the inbox of inbound requests)
import storage.models  # noqa: F401  (the core tables)
import storage.privacy  # noqa: F401  (the privacy log of exports and erasures, 0008_security)
import storage.slack_install  # noqa: F401  (Slack OAuth tables)
import storage.web  # noqa: F401  (web links and form attachments)
import storage.whatsapp  # noqa: F401  (WhatsApp contacts, sent messages and media)
import storage.workflows  # noqa: F401  (aliases, tags, attachments, embeddings: issue 15)
from storage.base import Base

metadata = Base.metadata
__all__ = ["Base", "metadata"]
