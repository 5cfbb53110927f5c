"""The WhatsApp channel's parts, built from settings: the webhook's dependencies and routes,
the inbox handlers, the store and the Graph API client (the notifier is built by
`bot.whatsapp.notifier.make_notifier`, through `config.wiring.attach_notifiers`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from bot.whatsapp.graph import GraphClient
from bot.whatsapp.handler import WhatsAppHandler
from bot.whatsapp.webhook import WebhookDeps, routes
from storage.inbox import SqlInbox
from storage.inbox_batch import InboxBatch
from storage.whatsapp import SqlWhatsApp


@dataclass
class WhatsAppParts:
    handler: WhatsAppHandler
    deps: WebhookDeps
    store: SqlWhatsApp
    graph: GraphClient

    def routes(self):
        return routes(self.deps)

    def register(self, worker) -> None:
        """The inbox handlers of platform "whatsapp" on the process's InboxWorker."""
        worker.register("whatsapp", self.handler.message, kind="message")
        worker.register("whatsapp", self.handler.status, kind="status")


def whatsapp_parts(container, *, wake: Callable[[], None] | None = None) -> WhatsAppParts | None:
    """None when WhatsApp is not configured (no token / phone number id)."""
    settings = container.settings.whatsapp
    if not settings.configured:
        return None
    store = SqlWhatsApp(container.engine)
    graph = GraphClient(settings.api_url, settings.token.get_secret_value(), settings.phone_number_id)
    handler = WhatsAppHandler(container.service, container.uow, store, graph, language=settings.language)
    deps = WebhookDeps(inbox=SqlInbox(container.engine), clock=container.clock,
                       app_secret=settings.app_secret.get_secret_value() if settings.app_secret else "",
                       verify_token=settings.verify_token.get_secret_value() if settings.verify_token else "",
                       phone_number_id=settings.phone_number_id, wake=wake,
                       put_many=InboxBatch(container.engine).put_many)
    return WhatsAppParts(handler, deps, store, graph)


def whatsapp_router(container):
    """The webhook routes and inbox handlers in the web process (bot/web/factory.py CHANNEL_ROUTERS)."""
    from bot.web.app import WebRouter

    parts = whatsapp_parts(container)
    if parts is None:
        return None
    return WebRouter("whatsapp", routes=parts.routes(), register_inbox=parts.register, shutdown=parts.graph.close)
