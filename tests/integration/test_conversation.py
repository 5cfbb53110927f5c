"""The conversation rules: one service call says what a message in a ticket's place is,
the same on every platform, and internal notes never go where a requester reads."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from config.wiring import build
from storage.models import OutboxRow
from tickets.conversation import IGNORED, NOTE, PUBLIC, REQUESTER
from tickets.model import Status
from tickets.places import Place
from tickets.teams import Actor

PLATFORMS = frozenset({"console", "slack", "discord"})
PEOPLE = {  # requester, agent, bystander per platform
    "slack": (Actor("slack:UBUDI"), Actor("slack:UANDI"), Actor("slack:UCITRA")),
    "discord": (Actor("discord:301"), Actor("discord:201"), Actor("discord:302")),
}
HR_AGENT = {"slack": Actor("slack:UDEWI"), "discord": Actor("discord:204")}


@pytest.fixture
def service(settings, engine, clock, directory):
    return build(settings, clock=clock, directory=directory, platforms=PLATFORMS, migrate=False,
                 engine=engine).service


@pytest.fixture
def outbox(service, settings, directory):
    from storage.crypto import make_cipher

    cipher = make_cipher(settings, directory)  # confidential teams' texts are sealed at rest

    def rows(engine):
        with engine.connect() as conn:
            found = conn.execute(select(OutboxRow).order_by(OutboxRow.id)).all()
        return [Row(r.platform, r.target, r.template, cipher.open_params(dict(r.params))) for r in found]
    return rows


@dataclass
class Row:
    platform: str
    target: str
    template: str
    params: dict


@pytest.mark.parametrize("platform", ["slack", "discord"])
def test_an_agent_in_an_ordinary_teams_thread_writes_a_note_the_requester_in_it_a_reply(service, platform):
    requester, agent, bystander = PEOPLE[platform]
    service.open(requester, "IT", "Printer", source=platform)
    service.claim(agent, "IT-1")
    thread = Place(platform, "thread")
    assert service.converse(agent, "IT-1", thread, "spooler is stuck").meaning == NOTE
    assert service.converse(requester, "IT-1", thread, "still broken").meaning == REQUESTER
    assert service.converse(agent, "IT-1", Place(platform, "origin"), "on my way").meaning == PUBLIC
    assert service.converse(bystander, "IT-1", thread, "me too").meaning == IGNORED
    comments = service_comments(service, "IT-1")
    assert comments == [(agent.user, "spooler is stuck", True), (requester.user, "still broken", False),
                        (agent.user, "on my way", False)]


@pytest.mark.parametrize("platform", ["slack", "discord"])
def test_an_agents_message_on_their_own_ticket_is_a_public_reply_everywhere(service, platform):
    _, agent, _ = PEOPLE[platform]
    service.open(agent, "IT", "My own laptop", source=platform)
    said = service.converse(agent, "IT-1", Place(platform, "thread"), "it is slow")
    assert said.meaning == REQUESTER and said.internal is False


def test_in_a_confidential_discord_thread_the_agent_replies_to_the_requester_sitting_there(service, engine,
                                                                                           outbox):
    requester, agent = PEOPLE["discord"][0], HR_AGENT["discord"]
    service.open(requester, "HR", "Salary slip", source="discord")
    service.claim(agent, "HR-1")
    said = service.converse(agent, "HR-1", Place("discord", "thread"), "we are checking it")
    assert said.meaning == PUBLIC and not said.internal
    dms = [r for r in outbox(engine) if r.target == f"user:{requester.user}" and r.template == "comment_added"]
    assert dms and dms[-1].params["text"] == "we are checking it"  # it reaches the requester
    # on Slack the same team's card thread is the team's own: the same words are a note there
    slack_requester = PEOPLE["slack"][0]
    service.open(slack_requester, "HR", "Leave", source="slack")
    service.claim(HR_AGENT["slack"], "HR-2")
    assert service.converse(HR_AGENT["slack"], "HR-2", Place("slack", "thread"), "checking").meaning == NOTE


def test_internal_notes_never_go_where_a_requester_reads(service, engine, outbox):
    requester, agent = PEOPLE["discord"][0], HR_AGENT["discord"]
    service.open(requester, "HR", "Salary slip", source="discord")
    service.claim(agent, "HR-1")
    # (assigning it again to the same agent is a no-op now, refused with "nothing changed")
    service.note(Actor("discord:203"), "HR-1", "payroll made a mistake")
    noted = [r for r in outbox(engine) if r.template == "note_added"]
    targets = {(r.platform, r.target) for r in noted}
    assert ("discord", "thread:HR-1") not in targets  # the private thread holds the requester
    assert ("slack", "thread:HR-1") in targets and ("discord", f"user:{agent.user}") in targets
    assert all(r.target != f"user:{requester.user}" and not r.target.startswith("origin:") for r in noted)


def test_the_requesters_answer_resumes_a_waiting_ticket_and_reopens_a_resolved_one(service):
    requester, agent, _ = PEOPLE["slack"]
    service.open(requester, "IT", "VPN", source="slack")
    service.claim(agent, "IT-1")
    service.wait(agent, "IT-1", "which laptop?")
    assert service.converse(requester, "IT-1", Place("slack", "origin"), "the Dell").ticket.status == Status.IN_PROGRESS
    service.resolve(agent, "IT-1", "new profile")
    said = service.converse(requester, "IT-1", Place("slack", "thread"), "still failing")
    assert said.ticket.status == Status.IN_PROGRESS and said.ticket.resolved_at is None


def service_comments(service, key):
    team, number = key.split("-")
    with service.uow_factory() as uow:
        ticket = uow.tickets.get(team, int(number))
        return [(c.author, c.body, c.internal) for c in uow.comments(ticket.id, include_internal=True)]
