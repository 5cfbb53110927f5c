"""The manifest lists what the code listens to and asks for."""
from pathlib import Path

from bot.slack.oauth import BOT_SCOPES

MANIFEST = (Path(__file__).resolve().parents[3] / "slack-manifest.yml").read_text()


def test_manifest_matches_the_app():
    for needed in ("command: /ticket", "callback_id: create_ticket", "callback_id: new_ticket", "reaction_added",
                   "message.channels", "message.groups", "app_home_opened", "app_uninstalled", "tokens_revoked",
                   "/slack/events", "/slack/oauth_redirect", "home_tab_enabled: true"):
        assert needed in MANIFEST, needed
    for scope in BOT_SCOPES:
        assert f"      - {scope}\n" in MANIFEST, scope


def test_direct_messages_are_read_only_when_nothing_listens_to_them():
    # Tiket does not subscribe to message.im, so it does not ask to read DMs either
    assert "message.im" not in MANIFEST and "im:history" not in MANIFEST and "im:history" not in BOT_SCOPES
    assert "messages_tab_read_only_enabled: true" in MANIFEST
