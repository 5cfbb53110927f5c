"""The REST API through the real app and database: tokens, scopes, idempotency, every error code."""
from __future__ import annotations

from sqlalchemy import func, select

from storage.models import OutboxRow, TicketRow
from tests.adapter.web.conftest import bearer

NEW = {"team": "IT", "title": "Disk almost full on db-2", "description": "92% used", "priority": "high",
       "category": "hardware", "requester": "Budi@Example.com", "external_reference": "alert-77"}


def tickets(container) -> int:
    with container.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(TicketRow))


def test_create_returns_the_cli_ticket_object(client, tokens, web_container):
    import json

    from typer.testing import CliRunner

    from cli.main import app

    made = client.post("/api/v1/tickets", json=NEW, headers=bearer(tokens["it"]))
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["key"], body["status"], body["priority"], body["category"]) == ("IT-1", "new", "high", "hardware")
    assert body["requester"] == "email:budi@example.com"  # the same person as the email channel's
    assert (body["reporter"], body["source"], body["source_ref"]) == ("api:it-monitor", "api", "alert-77")
    env = {"TIKET_DATABASE_URL": web_container.settings.database_url,
           "TIKET_TEAMS_FILE": web_container.settings.teams_file}
    shown = CliRunner().invoke(app, ["tickets", "show", "IT-1", "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == body  # no internal notes yet, so the objects are equal
    again = client.get("/api/v1/tickets/it-1", headers=bearer(tokens["it"]))
    assert again.status_code == 200 and again.json() == body


def test_missing_bad_and_revoked_tokens_get_401(client, tokens, web_container):
    from storage.api_tokens import ApiTokens

    for headers in ({}, {"Authorization": "Basic abc"}, bearer("tkt_nope"), bearer("")):
        answer = client.post("/api/v1/tickets", json=NEW, headers=headers)
        assert answer.status_code == 401, headers
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["type"] == "urn:tiket:problem:unauthorized"
        assert answer.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/tickets", headers=bearer(tokens["it"])).status_code == 200
    assert ApiTokens(web_container.engine).revoke("it-monitor")
    assert client.get("/api/v1/tickets", headers=bearer(tokens["it"])).status_code == 401
    assert tickets(web_container) == 0


def test_a_token_sees_and_writes_only_its_teams(client, tokens, web_container):
    hr = client.post("/api/v1/tickets", json={"team": "HR", "title": "Cuti", "category": "cuti"},
                     headers=bearer(tokens["hr"]))
    assert hr.status_code == 201 and hr.json()["key"] == "HR-1"
    refused = client.post("/api/v1/tickets", json={"team": "HR", "title": "x"}, headers=bearer(tokens["it"]))
    assert refused.status_code == 403 and refused.json()["type"] == "urn:tiket:problem:forbidden"
    assert client.get("/api/v1/tickets/HR-1", headers=bearer(tokens["it"])).status_code == 403  # confidential
    assert client.get("/api/v1/tickets/HR-1", headers=bearer(tokens["hr"])).json()["title"] == "Cuti"
    assert client.get("/api/v1/tickets?team=HR", headers=bearer(tokens["log"])).status_code == 403
    assert client.post("/api/v1/tickets/HR-1/comments", json={"body": "hi"},
                       headers=bearer(tokens["log"])).status_code == 403
    listed = client.get("/api/v1/tickets", headers=bearer(tokens["it"])).json()
    assert listed["items"] == []  # HR's ticket is not in the IT token's list
    assert tickets(web_container) == 1


def test_unknown_keys_get_404(client, tokens):
    for key in ("IT-99", "NOPE-1", "not-a-key", "IT-"):
        answer = client.get(f"/api/v1/tickets/{key}", headers=bearer(tokens["it"]))
        assert answer.status_code == 404, key
        assert answer.json()["type"] == "urn:tiket:problem:not-found"
    assert client.post("/api/v1/tickets/IT-99/comments", json={"body": "hi"},
                       headers=bearer(tokens["it"])).status_code == 404


def test_413_415_and_422(client, tokens, web_container):
    huge = {**NEW, "description": "x" * (web_container.settings.web.max_body_bytes + 10)}
    too_big = client.post("/api/v1/tickets", json=huge, headers=bearer(tokens["it"]))
    assert too_big.status_code == 413 and too_big.json()["type"] == "urn:tiket:problem:too-large"

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(12):
            yield b"x" * (1024 * 1024)
    streamed = client.post("/api/v1/tickets", content=chunks(), headers={**bearer(tokens["it"]),
                                                                          "content-type": "application/json"})
    assert streamed.status_code == 413
    form = client.post("/api/v1/tickets", data={"team": "IT"}, headers=bearer(tokens["it"]))
    assert form.status_code == 415 and form.json()["type"] == "urn:tiket:problem:unsupported-media-type"
    cases = [({**NEW, "title": ""}, "invalid"), ({**NEW, "priority": "whenever"}, "invalid"),
             ({**NEW, "team": "NOPE"}, "unknown-team"), ({**NEW, "category": "plumbing"}, "unknown-category"),
             ({**NEW, "title": "   "}, "title-required"), ({**NEW, "requester": "not an address"}, "invalid"),
             ({**NEW, "title": "nul\x00byte"}, "invalid"), ({**NEW, "surprise": 1}, "invalid")]
    for body, code in cases:
        answer = client.post("/api/v1/tickets", json=body, headers=bearer(tokens["it"]))
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["type"] == f"urn:tiket:problem:{code}", answer.json()
    broken = client.post("/api/v1/tickets", content=b"{not json", headers={**bearer(tokens["it"]),
                                                                            "content-type": "application/json"})
    assert broken.status_code == 422
    assert tickets(web_container) == 0


def test_idempotency_key_replays_the_first_result_and_refuses_another_body(client, tokens, web_container):
    headers = {**bearer(tokens["it"]), "Idempotency-Key": "alert-77-open"}
    first = client.post("/api/v1/tickets", json=NEW, headers=headers)
    second = client.post("/api/v1/tickets", json=NEW, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    other = client.post("/api/v1/tickets", json={**NEW, "title": "Something else"}, headers=headers)
    assert other.status_code == 422 and other.json()["type"] == "urn:tiket:problem:idempotency-mismatch"
    assert client.post("/api/v1/tickets", json=NEW, headers=bearer(tokens["it"])).json()["key"] == "IT-2"
    assert tickets(web_container) == 2
    # the same key from another token is that token's own request
    hr = client.post("/api/v1/tickets", json=NEW, headers={**bearer(tokens["hr"]), "Idempotency-Key": "alert-77-open"})
    assert hr.json()["key"] == "IT-3"


def test_list_filters_and_pages(client, tokens):
    for n in range(5):
        requester = "ani@example.com" if n % 2 else "budi@example.com"
        client.post("/api/v1/tickets", json={"team": "IT", "title": f"t{n}", "requester": requester},
                    headers=bearer(tokens["it"]))
    client.post("/api/v1/tickets", json={"team": "LOG", "title": "boxes"}, headers=bearer(tokens["log"]))
    first = client.get("/api/v1/tickets?per_page=2", headers=bearer(tokens["it"])).json()
    assert [t["key"] for t in first["items"]] == ["IT-5", "IT-4"] and first["next_page"] == 2
    last = client.get("/api/v1/tickets?per_page=2&page=3", headers=bearer(tokens["it"])).json()
    assert [t["key"] for t in last["items"]] == ["IT-1"] and last["next_page"] is None
    ani = client.get("/api/v1/tickets?requester=ani@example.com", headers=bearer(tokens["it"])).json()
    assert [t["key"] for t in ani["items"]] == ["IT-4", "IT-2"]
    assert client.get("/api/v1/tickets?status=resolved", headers=bearer(tokens["it"])).json()["items"] == []
    assert client.get("/api/v1/tickets?status=nope", headers=bearer(tokens["it"])).status_code == 422
    both = client.get("/api/v1/tickets?team=it", headers=bearer(tokens["hr"])).json()
    assert len(both["items"]) == 5


def test_a_comment_lands_in_the_thread_like_any_public_reply(client, tokens, web_container):
    client.post("/api/v1/tickets", json=NEW, headers=bearer(tokens["it"]))
    answer = client.post("/api/v1/tickets/IT-1/comments", json={"body": "Disk is at 97% now"},
                         headers=bearer(tokens["it"]))
    assert answer.status_code == 201, answer.text
    assert [(c["author"], c["body"]) for c in answer.json()["comments"]] == [("api:it-monitor", "Disk is at 97% now")]
    as_requester = client.post("/api/v1/tickets/IT-1/comments",
                               json={"body": "Still slow", "author": "budi@example.com"}, headers=bearer(tokens["it"]))
    assert as_requester.json()["comments"][-1]["author"] == "email:budi@example.com"
    someone = client.post("/api/v1/tickets/IT-1/comments", json={"body": "hi", "author": "slack:UANDI"},
                          headers=bearer(tokens["it"]))
    assert someone.status_code == 403  # a token speaks for itself or the requester, never an agent
    with web_container.engine.connect() as conn:
        thread = conn.execute(select(OutboxRow.template, OutboxRow.params).where(
            OutboxRow.target == "thread:IT-1", OutboxRow.template == "comment_added")).all()
    assert [p["text"] for _, p in thread] == ["Disk is at 97% now", "Still slow"]


def test_openapi_document_lists_the_operations(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert set(doc["paths"]) == {"/api/v1/tickets", "/api/v1/tickets/{key}", "/api/v1/tickets/{key}/comments"}
    assert "HTTPBearer" in doc["components"]["securitySchemes"]
    create = doc["paths"]["/api/v1/tickets"]["post"]
    assert {"201", "401", "403", "413", "415", "422"} <= set(create["responses"])
