"""Email settings and the teams file's mail addresses, default team and [people] links."""
from __future__ import annotations

import pytest

from bot.email.fetch import imap_target
from bot.email.notifier import smtp_target
from bot.email.routing import actor_for, team_for
from config.settings import Settings
from config.teams import ConfigError, parse_teams
from tests.adapter.email.mails import mail, parsed


def test_settings_from_the_environment_keep_secrets_masked(monkeypatch):
    monkeypatch.setenv("TIKET_EMAIL__IMAP_URL", "imaps://helpdesk%40corp.example:s3cret@imap.corp.example:993/INBOX")
    monkeypatch.setenv("TIKET_EMAIL__SMTP_URL", "smtp+starttls://helpdesk:s3cret@smtp.corp.example:587")
    monkeypatch.setenv("TIKET_EMAIL__FROM", "Helpdesk <helpdesk@corp.example>")
    monkeypatch.setenv("TIKET_EMAIL__POLL_SECONDS", "10")
    settings = Settings(_env_file=None)
    email = settings.email
    assert email.from_address == "Helpdesk <helpdesk@corp.example>" and email.poll_seconds == 10
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.model_dump())
    assert "email" in settings.platforms()
    target = imap_target(email.imap_url.get_secret_value())
    assert (target.scheme, target.host, target.port, target.user, target.password, target.folder) == (
        "imaps", "imap.corp.example", 993, "helpdesk@corp.example", "s3cret", "INBOX")
    monkeypatch.delenv("TIKET_EMAIL__POLL_SECONDS")
    assert Settings(_env_file=None).email.poll_seconds == 30  # the default


@pytest.mark.parametrize("url,expected", [("smtp://mx.corp.example", ("smtp", 25)),
                                          ("smtp+starttls://u:p@mx.corp.example", ("smtp+starttls", 587)),
                                          ("smtps://u:p@mx.corp.example", ("smtps", 465))])
def test_smtp_urls(url, expected):
    target = smtp_target(url)
    assert (target.scheme, target.port) == expected


def test_bad_urls_say_what_is_wrong():
    with pytest.raises(ValueError, match="smtp://, smtp\\+starttls:// or smtps://"):
        smtp_target("http://mx")
    with pytest.raises(ValueError, match="imap:// or imaps://"):
        imap_target("pop3://mx")


TEAMS = {"email_default_team": "hr", "people": {"email:Andi@corp.example": "slack:UANDI"},
         "teams": [{"key": "IT", "name": "IT", "email": ["it@corp.example"], "agents": ["slack:UANDI"]},
                   {"key": "HR", "name": "HR", "email": ["hr@corp.example"]}]}


def test_mail_is_routed_by_to_cc_delivered_to_plus_address_and_default():
    directory = parse_teams(TEAMS, "teams.toml")
    assert team_for(parsed(mail(to="IT@corp.example")), directory).key == "IT"
    assert team_for(parsed(mail(to="someone@corp.example", cc="it@corp.example")), directory).key == "IT"
    assert team_for(parsed(mail(to="x@corp.example", headers={"Delivered-To": "it@corp.example"})),
                    directory).key == "IT"
    assert team_for(parsed(mail(to="helpdesk+it@corp.example")), directory).key == "IT"
    assert team_for(parsed(mail(to="helpdesk+hr@corp.example", cc="it@corp.example")), directory).key == "HR"
    assert team_for(parsed(mail(to="nobody@corp.example")), directory).key == "HR"  # email_default_team
    assert actor_for(directory, "andi@corp.example").user == "slack:UANDI"  # [people]
    assert actor_for(directory, "budi@corp.example").user == "email:budi@corp.example"


@pytest.mark.parametrize("change,problem", [
    ({"email_default_team": "XX"}, "email_default_team: unknown team 'XX'"),
    ({"people": {"budi@corp.example": "slack:U1"}}, "must be written as email:<address>"),
    ({"people": {"email:budi@corp.example": "budi"}}, "must start with one of"),
    ({"teams": [{"key": "IT", "name": "IT", "email": ["not-an-address"]}]}, "is not a mail address"),
    ({"teams": [{"key": "IT", "name": "IT", "email": ["a@corp.example"]},
                {"key": "HR", "name": "HR", "email": ["a@corp.example"]}]}, "is also IT's address"),
])
def test_the_teams_file_mail_settings_are_checked(change, problem):
    with pytest.raises(ConfigError) as err:
        parse_teams({**TEAMS, **change}, "teams.toml")
    assert any(problem in p for p in err.value.problems), err.value.problems
