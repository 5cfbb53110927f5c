"""The one web app: health, readiness, extra channel routers, Slack mounted, the CLI and config check."""
from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from typer.testing import CliRunner

from bot.web.app import WebRouter
from bot.web.factory import WebNotConfigured, make_web_app


def call(app, method: str, path: str, **kwargs) -> httpx.Response:
    async def go():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as client:
            return await client.request(method, path, **kwargs)
    return asyncio.run(go())


def test_health_readiness_and_an_extra_channel_router(container):
    started = []

    async def hello(request):
        return PlainTextResponse("hi")

    extra = WebRouter("demo", routes=[Route("/demo/webhook", hello, methods=["POST"])],
                      startup=lambda: started.append("up"), register_inbox=lambda w: started.append(w))
    from storage.inbox import SqlInbox
    from tickets.intake import InboxWorker

    worker = InboxWorker(SqlInbox(container.engine), container.clock)
    app = make_web_app(container, extra=[extra], worker=worker)
    assert call(app, "GET", "/healthz").json() == {"ok": True}
    ready = call(app, "GET", "/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
    assert call(app, "POST", "/demo/webhook").text == "hi"
    assert started == [worker]  # inbox handlers registered when the app is built
    assert "/slack/events" not in {getattr(r, "path", None) for r in app.routes}  # Slack not configured here


def test_slack_is_mounted_when_configured(db_url, engine, clock, directory):
    from config.settings import Settings
    from config.wiring import build
    from tests.conftest import FIXTURES

    settings = Settings(database_url=db_url, teams_file=str(FIXTURES / "teams.toml"), _env_file=None,
                        slack={"bot_token": "xoxb-test", "signing_secret": "s" * 32, "api_url": "http://127.0.0.1:9/"})
    container = build(settings, clock=clock, directory=directory, platforms=frozenset({"slack"}), migrate=False,
                      engine=engine)
    app = make_web_app(container)
    unsigned = call(app, "POST", "/slack/events", content=b"command=/ticket&text=list",
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert unsigned.status_code == 401  # Bolt's signature check answered: Slack's own handling is mounted
    assert call(app, "GET", "/healthz").json() == {"ok": True}


def test_a_form_without_a_secret_key_is_refused(container):
    from dataclasses import replace

    teams = dict(container.directory.teams)
    teams["IT"] = replace(teams["IT"], web_form="public")
    container.directory = replace(container.directory, teams=teams)
    with pytest.raises(WebNotConfigured, match="TIKET_WEB__SECRET_KEY is missing"):
        make_web_app(container)


def test_serve_web_and_the_slack_alias_exist():
    from cli.main import app

    runner = CliRunner()
    for name in ("web", "slack"):
        result = runner.invoke(app, ["serve", name, "--help"])
        assert result.exit_code == 0 and "--port" in result.output


@pytest.mark.parametrize("secret, ok", [(None, False), ("short", False), ("k" * 32, True)])
def test_config_check_refuses_a_missing_or_short_secret_when_the_form_is_on(tmp_path, monkeypatch, secret, ok):
    from cli.main import app
    from tests.conftest import FIXTURES, TEST_ENCRYPTION_KEY

    teams = tmp_path / "teams.toml"
    teams.write_text((FIXTURES / "teams.toml").read_text().replace('name = "IT Helpdesk"',
                                                                    'name = "IT Helpdesk"\nweb_form = "public"'))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TIKET_TEAMS_FILE", str(teams))
    monkeypatch.setenv("TIKET_WEB__BASE_URL", "https://help.example.com")
    monkeypatch.setenv("TIKET_ENCRYPTION__KEYS", TEST_ENCRYPTION_KEY)  # the fixture teams have a confidential one
    if secret:
        monkeypatch.setenv("TIKET_WEB__SECRET_KEY", secret)
    result = CliRunner().invoke(app, ["config", "check"])
    assert (result.exit_code == 0) is ok, result.output
    if not ok:
        assert "TIKET_WEB__SECRET_KEY" in result.output


def test_metrics_are_served_and_channel_acknowledgements_timed(container):
    async def hello(request):
        return PlainTextResponse("ok")

    extra = WebRouter("demo", routes=[Route("/whatsapp/webhook", hello, methods=["POST"])])
    app = make_web_app(container, extra=[extra])
    for _ in range(2):
        call(app, "POST", "/whatsapp/webhook")
    scraped = call(app, "GET", "/metrics")
    assert scraped.status_code == 200
    assert 'tiket_ack_seconds_count{channel="whatsapp"} 2.0' in scraped.text
    assert "# TYPE tiket_database_errors_total counter" in scraped.text  # the database's figures, read at scrape


def test_the_web_process_pump_finishes_what_a_request_left(container):
    """An entry whose first attempt failed (or whose process died) is finished by the process's pump,
    which starts and stops with the app."""
    from starlette.testclient import TestClient

    from bot.web.serve import web_process
    from storage.inbox import SqlInbox
    from tickets.ports import Delivery, Inbound

    sent: list[Delivery] = []

    class Recorder:
        platform = "email"

        def deliver(self, delivery):
            sent.append(delivery)

    container.notifiers["email"] = Recorder()
    app = web_process(container)
    inbox = SqlInbox(container.engine)
    inbox.put(Inbound(key="web:form:left", platform="web", kind="open", payload={
        "actor": "email:ani@example.com", "requester": "email:ani@example.com", "team": "IT", "title": "Left behind",
        "notify": True, "lang": "id"}), container.clock.now())
    with TestClient(app):
        assert app.state.pump._running and all(t.is_alive() for t in app.state.pump._running)
        app.state.pump.drain()  # the entry, then its mail (the pump's own threads may take some first)
    assert not app.state.pump._running
    assert inbox.status("web:form:left") == "done"
    assert [(d.template, d.target, d.lang) for d in sent if d.template == "web_status_link"] == [
        ("web_status_link", "user:email:ani@example.com", "id")]
