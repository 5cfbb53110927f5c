"""Run the web process: the app under uvicorn, and the process's one pump (tickets.pump) that finishes
inbox entries a request did not (a retry after a failure, a process that died) and delivers the outbox
of the platforms this process has notifiers for."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def web_process(container):
    """The app plus its worker and pump (started and stopped with the app)."""
    from bot.web.app import WebRouter
    from bot.web.factory import make_web_app

    pump = container.pump()  # the process's one pump: the inbox worker and the outbox, woken after commits
    app = make_web_app(container, extra=[WebRouter("pump", startup=pump.start, shutdown=pump.stop)],
                       worker=container.worker)
    app.state.pump = pump
    return app


def run_web(container, host: str, port: int) -> None:
    import uvicorn

    app = web_process(container)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
