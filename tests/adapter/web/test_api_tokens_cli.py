"""`tiket api token create|list|revoke` on a real database: printed once, only the hash stored."""
from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from storage.api_tokens import ApiTokenRow, digest
from tests.adapter.web.conftest import bearer


def run(container, *args):
    env = {"TIKET_DATABASE_URL": container.settings.database_url, "TIKET_TEAMS_FILE": container.settings.teams_file}
    return CliRunner().invoke(app, list(args), env=env)


def test_create_list_use_and_revoke(web_container, client):
    made = run(web_container, "api", "token", "create", "--team", "IT", "--team", "log", "--name", "monitoring")
    assert made.exit_code == 0, made.output
    token = made.stdout.splitlines()[0].strip()
    assert token.startswith("tkt_") and "not shown again" in made.output
    with web_container.engine.connect() as conn:
        row = conn.execute(select(ApiTokenRow)).one()
    assert row.token_hash == digest(token) and token not in str(tuple(row))  # only the hash is stored
    assert row.teams == ["IT", "LOG"]
    listed = run(web_container, "api", "token", "list")
    assert "monitoring\tteams=IT,LOG\tcreated=" in listed.output and "last_used=never" in listed.output
    assert client.get("/api/v1/tickets", headers=bearer(token)).status_code == 200
    assert "last_used=2026-11-23T02:00:00" in run(web_container, "api", "token", "list").output
    assert run(web_container, "api", "token", "create", "--team", "IT", "--name", "monitoring").exit_code == 1
    assert run(web_container, "api", "token", "create", "--team", "NOPE", "--name", "x").exit_code == 2
    assert run(web_container, "api", "token", "create", "--team", "IT", "--name", "bad name").exit_code == 2
    revoked = run(web_container, "api", "token", "revoke", "monitoring")
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert client.get("/api/v1/tickets", headers=bearer(token)).status_code == 401
    assert run(web_container, "api", "token", "revoke", "monitoring").exit_code == 1
    assert "no API tokens" in run(web_container, "api", "token", "list").output
