"""Prometheus metrics for one process: a registry built from the container, never at import time.

`Metrics.observe_*` are what adapters, the deliverer and the scheduler call; the database's own
figures come from `storage.metrics.StoreCollector` at scrape time. The web process serves
`/metrics` and times acknowledgements with bot/web/metrics.py; the other processes serve it on
`TIKET_METRICS_PORT`.
"""
from __future__ import annotations

import time
from typing import Callable

ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0)
SLOW_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600)


class Metrics:
    def __init__(self, engine=None, now: Callable | None = None) -> None:
        from prometheus_client import CollectorRegistry, Histogram

        self.registry = CollectorRegistry(auto_describe=False)
        self.ack = Histogram("tiket_ack_seconds", "Time to acknowledge an inbound request, by channel.",
                             ["channel"], buckets=ACK_BUCKETS, registry=self.registry)
        self.delivery = Histogram("tiket_delivery_seconds", "Time from queueing a message to delivering it.",
                                  ["platform"], buckets=SLOW_BUCKETS, registry=self.registry)
        self.sweep = Histogram("tiket_sweep_seconds", "Duration of one SLA sweep.", buckets=ACK_BUCKETS + SLOW_BUCKETS[4:],
                               registry=self.registry)
        self.lateness = Histogram("tiket_reminder_lateness_seconds",
                                  "How late a reminder or escalation went out after its due moment.",
                                  buckets=(0.1, 0.25, 0.5, 1, 2, 5, 15, 30, 60, 300), registry=self.registry)
        self.store = None
        if engine is not None:
            from storage.metrics import StoreCollector

            self.store = StoreCollector(engine, now or _utcnow)
            self.registry.register(self.store)

    def observe_ack(self, channel: str, seconds: float) -> None:
        self.ack.labels(channel=channel).observe(seconds)

    def observe_delivery(self, platform: str, seconds: float) -> None:
        self.delivery.labels(platform=platform).observe(max(0.0, seconds))

    def observe_sweep(self, seconds: float) -> None:
        self.sweep.observe(seconds)

    def observe_lateness(self, seconds: float) -> None:
        self.lateness.observe(max(0.0, seconds))

    def exposition(self) -> tuple[bytes, str]:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def serve(self, port: int, host: str = "127.0.0.1"):
        """Serve /metrics on its own port (processes without a web server); returns the server."""
        from prometheus_client import start_http_server

        server, _thread = start_http_server(port, addr=host, registry=self.registry)
        return server


def _utcnow():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
