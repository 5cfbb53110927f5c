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


def test_direct_messages_are_read_because_dm_intake_listens_to_them():
    # DM intake (issue 15): a DM that is not a command starts a request, so Tiket reads DMs
    assert "message.im" in MANIFEST and "      - im:history\n" in MANIFEST and "im:history" in BOT_SCOPES
    assert "messages_tab_read_only_enabled: false" in MANIFEST
