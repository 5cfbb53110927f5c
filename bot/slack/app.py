"""The Bolt app factory: built from the narrow parts bot.slack.runtime hands in, never at import.

Listeners live in one module per kind (commands, actions, views, events, shortcuts,
home). process_before_response is on: Bolt answers Slack only when the ack listener has
returned, and every ack listener first stores the request in the inbox (bot.slack.durable),
so an acknowledged request is never only in memory. The work runs in the inbox worker.
"""
from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack import actions, commands, events, home, shortcuts, views
from bot.slack.deps import SlackDeps
from bot.slack.durable import SlackIntake
from bot.slack.notifier import make_client
from bot.slack.oauth import oauth_enabled

log = logging.getLogger(__name__)
LISTENERS = (commands, actions, views, events, shortcuts, home)


class SlackNotConfigured(RuntimeError):
    pass


def check_configured(settings) -> None:
    slack = settings.slack
    if slack.signing_secret is None:
        raise SlackNotConfigured("TIKET_SLACK__SIGNING_SECRET is not set")
    if not (slack.bot_token or oauth_enabled(settings)):
        raise SlackNotConfigured("set TIKET_SLACK__BOT_TOKEN, or TIKET_SLACK__CLIENT_ID and __CLIENT_SECRET")


def create_app(deps: SlackDeps, intake: SlackIntake, *, oauth=None) -> App:
    """The Bolt app; `oauth` is the OAuthSettings of a multi-workspace install (None: one bot token)."""
    settings = deps.settings
    slack = settings.slack
    check_configured(settings)
    kwargs = {}
    if oauth is not None:
        kwargs["oauth_settings"] = oauth
        client = make_client(None, slack.api_url)
    else:
        kwargs["token_verification_enabled"] = False  # auth.test on the first request, not at build time
        client = make_client(slack.bot_token.get_secret_value(), slack.api_url)  # Bolt takes the client's token
    app = App(signing_secret=slack.signing_secret.get_secret_value(), client=client,
              process_before_response=True, **kwargs)
    if oauth is not None:
        app.enable_token_revocation_listeners()
    for module in LISTENERS:
        module.register(app, deps, intake)
    return app
