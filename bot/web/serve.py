"""Run the web process: the app under uvicorn, and a small pump that finishes inbox entries a request
did not (a retry after a failure, a process that died) and delivers the outbox of the platforms
this process has notifiers for (Slack's deliverer runs with its own router)."""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class Pump:
    def __init__(self, container, worker, interval: float | None = None) -> None:
        self.container, self.worker = container, worker
        self.interval = interval if interval is not None else container.settings.scheduler.deliver_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tiket-web-pump", daemon=True)
        self.dispatcher = container.dispatcher()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def round(self) -> int:
        """Finish due inbox entries, then deliver due messages; how many of both."""
        done = 0
        while (n := self.worker.run_once()):
            done += n
        platforms = sorted(set(self.container.notifiers) - {"slack"})
        while platforms and (n := self.dispatcher.run_once(platforms=platforms)):
            done += n
        return done

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.round()
            except Exception:
                log.exception("web pump round failed")


def web_process(container):
    """The app plus its worker and pump (started and stopped with the app)."""
    from bot.web.app import WebRouter
    from bot.web.factory import make_web_app
    from storage.inbox import SqlInbox
    from tickets.intake import InboxWorker

    worker = InboxWorker(SqlInbox(container.engine, getattr(container, "cipher", None)), container.clock)
    pump = Pump(container, worker)
    app = make_web_app(container, extra=[WebRouter("pump", startup=pump.start, shutdown=pump.stop)], worker=worker)
    app.state.pump = pump
    return app


def run_web(container, host: str, port: int) -> None:
    import uvicorn

    app = web_process(container)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
