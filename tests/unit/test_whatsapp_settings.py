"""The WhatsApp settings as the issue names them, from the environment."""
from __future__ import annotations

from config.settings import Settings


def test_whatsapp_settings_come_from_the_environment(monkeypatch):
    env = {"TIKET_WHATSAPP__TOKEN": "EAAG-x", "TIKET_WHATSAPP__APP_SECRET": "s3cret",
           "TIKET_WHATSAPP__VERIFY_TOKEN": "verify-me", "TIKET_WHATSAPP__PHONE_NUMBER_ID": "1098765432",
           "TIKET_WHATSAPP__API_URL": "http://127.0.0.1:9/v21.0", "TIKET_WHATSAPP__TEMPLATE": "tiket_update",
           "TIKET_WHATSAPP__TEMPLATE_LANGUAGE": "en"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    wa = Settings(_env_file=None).whatsapp
    assert (wa.token.get_secret_value(), wa.app_secret.get_secret_value(), wa.verify_token.get_secret_value(),
            wa.phone_number_id, wa.api_url, wa.template, wa.template_language) == (
        "EAAG-x", "s3cret", "verify-me", "1098765432", "http://127.0.0.1:9/v21.0", "tiket_update", "en")
    assert "s3cret" not in repr(wa)  # secrets stay out of logs
    assert "whatsapp" in Settings(_env_file=None).platforms()


def test_whatsapp_is_off_without_token_and_number(monkeypatch):
    monkeypatch.delenv("TIKET_WHATSAPP__TOKEN", raising=False)
    settings = Settings(_env_file=None)
    assert settings.whatsapp.api_url == "https://graph.facebook.com/v21.0"
    assert not settings.whatsapp.configured and "whatsapp" not in settings.platforms()
