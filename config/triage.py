"""Build the triage service from Settings (the model loads here, on first use, never at import)."""
from __future__ import annotations

from tickets.triage import TriageRules


def make_triage(container):
    config = container.settings.triage
    if not config.enabled:
        return None
    from ai.embedders import load_embedder

    embedder = load_embedder(config.model, threads=config.threads)
    if embedder is None:
        return None
    from storage.triage import SqlEmbeddingStore
    from tickets.triage_service import TriageService

    rules = TriageRules(duplicate_threshold=config.duplicate_threshold, min_confidence=config.min_confidence)
    return TriageService(embedder, SqlEmbeddingStore(container.engine, container.clock.now), container.directory,
                         rules)


def index_job(container) -> int:
    """The scheduler's background job: embed new tickets (a no-op when triage is off)."""
    service = container.triage
    return service.index() if service is not None else 0
