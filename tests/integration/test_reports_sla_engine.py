"""Reports read what the SLA engine records: business time of the team's calendar, paused time
left out. Team LOG works mon-fri 08:00-17:00 in Asia/Jakarta; START is Monday 09:00 there.

    LOG-1  open Mon 09:00, claimed 10:00 (FR 1h), waiting 11:00-13:00, resolved 16:00:
           7h elapsed - 2h paused = 5h = 18000 s
    LOG-2  open Mon 16:00, claimed Tue 09:00 (FR 16-17 + 08-09 = 2h), resolved Tue 10:00 (3h = 10800 s)
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.reports import make_reports
from tickets.teams import Actor

BUDI, JOKO, SARI = Actor("console:budi"), Actor("console:joko"), Actor("console:sari")


def test_business_time_and_pauses_come_from_the_sla_engine(container, clock):
    s, t0 = container.service, clock.now()

    def at(**delta):
        clock.at = t0 + timedelta(**delta)

    s.open(BUDI, "LOG", "paper")
    at(hours=1); s.claim(JOKO, "LOG-1")
    at(hours=2); s.wait(JOKO, "LOG-1", "which size?")
    at(hours=4); s.comment(BUDI, "LOG-1", "A4")
    at(hours=7); s.open(BUDI, "LOG", "toner"); s.resolve(JOKO, "LOG-1")
    at(days=1); s.claim(JOKO, "LOG-2")
    at(days=1, hours=1); s.resolve(JOKO, "LOG-2")
    at(days=2)
    calendar = container.directory.teams["LOG"].calendar
    assert calendar.between(t0 + timedelta(hours=7), t0 + timedelta(days=1)) == timedelta(hours=2)
    f = make_reports(container).report(SARI, "LOG", "7d").overall
    assert (f.first_response.count, f.first_response.median) == (2, pytest.approx(5400))   # 3600, 7200
    assert (f.resolution.count, f.resolution.median) == (2, pytest.approx(14400))          # 18000, 10800
    assert f.resolution.p90 == pytest.approx(17280)                                          # 10800 + 0.9 * 7200
    assert (f.created, f.resolved, f.backlog_start, f.backlog_now) == (2, 2, 0, 0)
