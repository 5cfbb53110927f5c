"""/metrics: the database's figures at scrape time and the acknowledgement histogram, with no
ticket text or person in any label."""
from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.web.metrics import AckTimer, channel_of, metrics_endpoint
from config.metrics import Metrics
from storage.inbox import SqlInbox
from storage.models import Heartbeat
from tickets.ports import Inbound
from tickets.teams import Actor

BUDI = Actor("console:budi")


def samples(metrics: Metrics) -> dict[tuple, float]:
    body, _ = metrics.exposition()
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def test_scrape_reads_tickets_inbox_outbox_and_heartbeat(container, engine, clock):
    container.service.open(BUDI, "IT", "Secret printer of the director", "confidential words")
    container.service.open(BUDI, "IT", "second", "")
    container.service.open(BUDI, "HR", "leave", "")
    inbox = SqlInbox(engine)
    inbox.put(Inbound("slack:cmd:1", "slack", "command"), clock.now())
    with engine.begin() as conn:
        conn.execute(Heartbeat.__table__.insert().values(name="scheduler:host-1",
                                                         beat_at=clock.now() - timedelta(seconds=42)))
    metrics = Metrics(engine, clock.now)
    found = samples(metrics)
    assert found[("tiket_tickets_opened_total", (("channel", "console"), ("team", "IT")))] == 2
    assert found[("tiket_tickets_opened_total", (("channel", "console"), ("team", "HR")))] == 1
    assert found[("tiket_inbox_backlog", (("platform", "slack"),))] == 1
    assert any(name == "tiket_outbox_messages" and dict(labels)["status"] == "pending" for name, labels in found)
    assert found[("tiket_scheduler_heartbeat_age_seconds", ())] == 42
    body = metrics.exposition()[0].decode()
    assert "printer" not in body and "budi" not in body and "confidential" not in body


def test_database_errors_are_counted_and_a_dead_database_does_not_break_the_scrape(container, engine, clock):
    from sqlalchemy import text

    metrics = Metrics(engine, clock.now)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table"))
    except Exception:
        pass
    errors = {labels: v for (name, labels), v in samples(metrics).items() if name == "tiket_database_errors_total"}
    assert sum(errors.values()) == 1 and all(dict(k)["error"] for k in errors)


def test_acknowledgements_are_timed_per_channel_and_served_at_metrics(engine, clock):
    metrics = Metrics(engine, clock.now)

    async def ok(_request):
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/slack/events", ok, methods=["POST"]), Route("/healthz", ok),
                            Route("/metrics", metrics_endpoint(metrics))])
    client = TestClient(AckTimer(app, metrics))
    for _ in range(3):
        assert client.post("/slack/events").status_code == 200
    client.get("/healthz")
    scraped = client.get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    found = {(s.name, tuple(sorted(s.labels.items()))): s.value
             for f in text_string_to_metric_families(scraped.text) for s in f.samples}
    assert found[("tiket_ack_seconds_count", (("channel", "slack"),))] == 3
    assert not any(dict(labels).get("channel") == "healthz" for _, labels in found)
    assert channel_of("/whatsapp/webhook") == "whatsapp" and channel_of("/api/v1/tickets") == "api"
    assert channel_of("/metrics") is None
