"""The scheduler process: APScheduler 3 with one interval sweep job, and the process's pump
(tickets.pump: the inbox worker and the outbox delivery, woken after each commit and every
`deliver_seconds`).

Deadlines live on the ticket rows (indexed ``next_action_at``), never as one
APScheduler job per ticket, so the job store is memory only and a restart loses
nothing: the first sweep after it finds whatever came due meanwhile.
"""
from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime, timezone
from typing import Callable

from scheduler.jobs import SlaEngine

log = logging.getLogger(__name__)
UTC = timezone.utc


def start_scheduler(container, *, sweep_seconds: float | None = None,
                    deliver_seconds: float | None = None) -> Callable[[], None]:
    """Start the background jobs; returns the function that stops them (waiting for a running job)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    config = container.settings.scheduler
    sweep_seconds = sweep_seconds or config.sweep_seconds
    deliver_seconds = deliver_seconds or config.deliver_seconds
    engine = SlaEngine(container)
    pump = container.pump(interval=deliver_seconds)

    def refresh_job() -> None:
        try:
            changed = engine.refresh()
            if changed:
                log.info("deadlines recomputed for %s open tickets (teams file changed)", changed)
        except Exception:
            log.exception("recomputing deadlines after a configuration change failed")

    def sweep_job() -> None:
        try:
            engine.run()
        except Exception:
            log.exception("SLA sweep failed")
        try:
            from scheduler.weekly import run_weekly_reports

            run_weekly_reports(container)
        except Exception:
            log.exception("weekly reports failed")
        pump.wake()  # what the sweep queued goes out now

    def triage_job() -> None:
        try:
            service = container.triage  # None when triage is off
            while service is not None and service.index() > 0:
                pass
        except Exception:
            log.exception("triage indexing failed")

    scheduler = BackgroundScheduler(jobstores={"default": MemoryJobStore()},
                                    executors={"default": ThreadPoolExecutor(2)},
                                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
                                    timezone=UTC)
    first = datetime.now(UTC)
    scheduler.add_job(sweep_job, "interval", seconds=sweep_seconds, id="sla-sweep", next_run_time=first)
    scheduler.add_job(refresh_job, id="sla-refresh", next_run_time=first)  # once, at start
    if container.settings.triage.enabled:
        scheduler.add_job(triage_job, "interval", seconds=container.settings.triage.index_seconds, id="triage-index",
                          next_run_time=first)
    scheduler.start()
    pump.start()
    log.info("scheduler started: sweep every %ss, delivery every %ss", sweep_seconds, deliver_seconds)

    def stop() -> None:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        pump.stop()

    return stop


def wait_forever(stop_event: threading.Event | None = None) -> None:
    """Block the main thread until SIGTERM/SIGINT (or `stop_event` is set)."""
    stop_event = stop_event or threading.Event()

    def _stop(*_args) -> None:
        stop_event.set()

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, _stop)
    while not stop_event.wait(1.0):
        pass


def scheduler_ready(container) -> dict:
    """heartbeat_status for a container: stale after four sweep intervals (at least a minute)."""
    max_age = max(60.0, 4 * container.settings.scheduler.sweep_seconds)
    return heartbeat_status(container.engine, container.clock.now(), max_age)


def heartbeat_status(engine, now: datetime, max_age_seconds: float = 60.0) -> dict:
    """The scheduler's heartbeat as /readyz and `tiket scheduler status` report it.

    ``{"ok": bool, "stale": bool, "last_beat": iso or None, "age_seconds": float or None,
    "replicas": [{"name", "beat_at", "age_seconds"}]}``; stale when no replica beat
    within `max_age_seconds` (use about 4 × the sweep interval).
    """
    from storage.sla import SqlSlaStore

    beats = SqlSlaStore(engine).beats()
    replicas = [{"name": name, "beat_at": at.isoformat(), "age_seconds": round((now - at).total_seconds(), 1)}
                for name, at in beats]
    if not beats:
        return {"ok": False, "stale": True, "last_beat": None, "age_seconds": None, "replicas": []}
    age = (now - beats[0][1]).total_seconds()
    stale = age > max_age_seconds
    return {"ok": not stale, "stale": stale, "last_beat": beats[0][1].isoformat(), "age_seconds": round(age, 1),
            "replicas": replicas}
