"""Multi-workspace installs: OAuth settings over the installation and state stores the
composition root hands in (config.wiring.SlackStores), and the bot token for a workspace
(the notifier and the inbox worker ask which token to use)."""
from __future__ import annotations

from typing import Any, Callable

BOT_SCOPES = ("app_mentions:read", "channels:history", "channels:read", "chat:write", "commands",
              "files:read", "files:write", "groups:history", "groups:read", "im:history", "im:write", "reactions:read",
              "usergroups:read", "users:read")


def oauth_enabled(settings) -> bool:
    slack = settings.slack
    return bool(slack.client_id and slack.client_secret)


def oauth_settings(settings, installation_store: Any, state_store: Any):
    from slack_bolt.oauth.oauth_settings import OAuthSettings

    slack = settings.slack
    return OAuthSettings(client_id=slack.client_id, client_secret=slack.client_secret.get_secret_value(),
                         scopes=list(BOT_SCOPES), install_path="/slack/install",
                         redirect_uri_path="/slack/oauth_redirect",
                         installation_store=installation_store, state_store=state_store)


def token_lookup(settings, installed: Callable[[str | None], str | None] | None
                 ) -> Callable[[str | None], str | None]:
    """workspace (team id) -> bot token: the configured one, else the installation's (`installed`)."""
    slack = settings.slack
    if slack.bot_token is not None and not oauth_enabled(settings):
        token = slack.bot_token.get_secret_value()
        return lambda workspace: token
    return installed or (lambda workspace: None)
