"""The web app on the test database: web settings, teams with their forms on, API tokens, a client."""
from __future__ import annotations

from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from config.settings import Settings
from tests.conftest import FIXTURES

SECRET = "test-secret-key-0123456789-abcdefghij"
BASE = "http://testserver"


def web_directory(directory):
    teams = dict(directory.teams)
    teams["IT"] = replace(teams["IT"], web_form="public", requester_priority=True)
    teams["HR"] = replace(teams["HR"], web_form="sign-in")
    return replace(directory, teams=teams)


def web_settings(db_url: str, **web) -> Settings:
    return Settings(database_url=db_url, teams_file=str(FIXTURES / "teams.toml"), _env_file=None,
                    web={"base_url": BASE, "secret_key": SECRET, **web})


@pytest.fixture
def web_container(db_url, engine, clock, directory):
    from config.wiring import build

    return build(web_settings(db_url), clock=clock, directory=web_directory(directory),
                 platforms=frozenset({"console"}), migrate=False, engine=engine)


@pytest.fixture
def web_app(web_container):
    from bot.web.factory import make_web_app

    return make_web_app(web_container)


@pytest.fixture
def client(web_app):
    return TestClient(web_app, base_url=BASE)


@pytest.fixture
def tokens(web_container):
    from storage.api_tokens import ApiTokens

    store = ApiTokens(web_container.engine)
    now = web_container.clock.now()
    return {"it": store.create("it-monitor", ["IT"], now), "hr": store.create("hr-tool", ["HR", "IT"], now),
            "log": store.create("log-only", ["LOG"], now)}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
