"""Report figures from a hand-built history, worked out by hand (SQLite and PostgreSQL).

The SLA policy's measurements (business seconds, met or not) are written
explicitly, as the SLA engine records them: on the ticket, and for each
resolution in that resolve's audit event. Team IT has a 24/7 calendar in
Asia/Jakarta; START is Monday 2026-11-23 09:00 there (02:00 UTC).

    IT-1  open T0, andi claims +1h (FR 3600 met), resolves +3h (10800 met), rated 5
    IT-2  open +10m, rina claims +2h10m (FR 7200 missed), waits +3h, requester answers +5h
          (2h paused), resolves +7h10m: 7h elapsed - 2h paused = 18000 (met), rated 3
    IT-3  open +20m, andi claims +50m (FR 1800 met), resolves +1h20m (3600 met), rated 2,
          reopened +2h, resolved again +10h20m (33600, missed)
    IT-4  open +30m, never answered: FR due +1h30m, missed
    IT-5  open +40m, andi claims +45m (FR 300 met), closes +4h without resolving
    IT-6  open +44m, cancelled +55m
    IT-7  opened 40 days before, claimed: the backlog at the start of the period
    HR-1  (confidential) open +1h, dewi claims, resolves (1000 met), rated 5
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from storage.models import AuditRow, audit_values
from tickets.errors import PermissionDenied
from tickets.teams import Actor

BUDI, ANDI, RINA, SARI, DEWI, ADMIN = (Actor(f"console:{n}") for n in ("budi", "andi", "rina", "sari", "dewi",
                                                                         "admin"))


def measure(container, key, *, fr=None, fr_met=None, fr_due=None, resolutions=()):
    """Write what the SLA engine records: ticket columns, and each resolve event's figures."""
    team, number = key.split("-")
    with container.uow() as uow:
        tk = uow.tickets.get(team, int(number))
        tk.first_response_seconds, tk.first_response_met = fr, fr_met
        if fr_due is not None:
            tk.first_response_due = fr_due
        if resolutions:
            tk.resolution_seconds, tk.resolution_met = resolutions[-1]
        uow.tickets.save(tk)
        events = uow.session.scalars(select(AuditRow).where(AuditRow.ticket_id == tk.id,
                                                            AuditRow.action == "resolve").order_by(AuditRow.id)).all()
        assert len(events) == len(resolutions)
        for event, (seconds, met) in zip(events, resolutions):
            changes = dict(event.changes, resolution_seconds=[None, seconds], resolution_met=[None, met])
            uow.session.execute(update(AuditRow).where(AuditRow.id == event.id)
                                .values(changes=changes, **audit_values(changes)))
        uow.commit()


@pytest.fixture
def history(container, clock):
    s, t0 = container.service, clock.now()

    def at(**delta):
        clock.at = t0 + timedelta(**delta)

    at(days=-40)
    s.open(BUDI, "IT", "old printer")  # opened first, so it is IT-1; the docstring's IT-n is IT-(n+1)
    at(days=-40, hours=1)
    s.claim(ANDI, "IT-1")
    at()
    s.open(BUDI, "IT", "laptop")                              # IT-2 ...
    at(minutes=10); s.open(BUDI, "IT", "vpn")
    at(minutes=20); s.open(BUDI, "IT", "mail")
    at(minutes=30); s.open(BUDI, "IT", "monitor")
    at(minutes=40); s.open(BUDI, "IT", "mouse")
    at(minutes=44); s.open(BUDI, "IT", "typo")
    at(minutes=45); s.claim(ANDI, "IT-6")
    at(minutes=50); s.claim(ANDI, "IT-4")
    at(minutes=55); s.cancel(BUDI, "IT-7")
    at(hours=1); s.claim(ANDI, "IT-2"); s.open(BUDI, "HR", "salary slip")
    at(hours=1, minutes=5); s.claim(DEWI, "HR-1")
    at(hours=1, minutes=20); s.resolve(ANDI, "IT-4"); s.rate(BUDI, "IT-4", 2)
    at(hours=1, minutes=30); s.resolve(DEWI, "HR-1"); s.rate(BUDI, "HR-1", 5)
    at(hours=2); s.reopen(BUDI, "IT-4")
    at(hours=2, minutes=10); s.claim(RINA, "IT-3")
    at(hours=3); s.resolve(ANDI, "IT-2"); s.rate(BUDI, "IT-2", 5); s.wait(RINA, "IT-3", "which vpn?")
    at(hours=4); s.close(ANDI, "IT-6")
    at(hours=5); s.comment(BUDI, "IT-3", "the office one")
    at(hours=7, minutes=10); s.resolve(RINA, "IT-3"); s.rate(BUDI, "IT-3", 3)
    at(hours=10, minutes=20); s.resolve(ANDI, "IT-4")
    measure(container, "IT-1", fr=3600, fr_met=True)
    measure(container, "IT-2", fr=3600, fr_met=True, resolutions=[(10800, True)])
    measure(container, "IT-3", fr=7200, fr_met=False, resolutions=[(18000, True)])
    measure(container, "IT-4", fr=1800, fr_met=True, resolutions=[(3600, True), (33600, False)])
    measure(container, "IT-5", fr_met=False, fr_due=t0 + timedelta(hours=1, minutes=30))
    measure(container, "IT-6", fr=300, fr_met=True)
    measure(container, "HR-1", fr=300, fr_met=True, resolutions=[(1000, True)])
    clock.at = t0 + timedelta(days=3)
    return container


def reports(container):
    from bot.reports import make_reports

    return make_reports(container)


def test_team_figures_by_hand(history):
    report = reports(history).report(SARI, "IT")
    f = report.overall
    assert (f.created, f.resolved, f.closed, f.reopened, f.cancelled) == (6, 4, 1, 1, 1)
    assert (f.backlog_start, f.backlog_now) == (1, 2)
    assert f.open_by_status == {"new": 1, "in_progress": 1}
    assert f.open_by_priority == {"normal": 2}
    # first responses in the period: 300, 1800, 3600, 7200
    assert f.first_response.count == 4
    assert f.first_response.median == pytest.approx(2700)          # (1800 + 3600) / 2
    assert f.first_response.p90 == pytest.approx(6120)             # 3600 + 0.7 * (7200 - 3600)
    # resolutions (each resolve counts, the reopened ticket twice, and IT-6 closed without a resolve after
    # 12000 s): 3600, 10800, 12000, 18000 (pause excluded), 33600
    assert f.resolution.count == 5
    assert f.resolution.median == pytest.approx(12000)
    assert f.resolution.p90 == pytest.approx(27360)                # 18000 + 0.6 * (33600 - 18000)
    # compliance: first response 3 met of 5 measured (one never answered), resolution 3 of 4
    assert (f.first_response_sla.met, f.first_response_sla.total) == (3, 5)
    assert f.first_response_sla.percent == pytest.approx(60.0)
    assert (f.resolution_sla.met, f.resolution_sla.total) == (4, 5)
    # satisfaction: 2, 5, 3 for 4 resolutions
    assert (f.satisfaction.count, f.satisfaction.average) == (3, pytest.approx(10 / 3))
    assert f.satisfaction.response_rate == pytest.approx(75.0)
    agents = {a.user: a for a in report.agents}
    andi, rina = agents["console:andi"], agents["console:rina"]
    # andi resolved IT-2, IT-4 twice and closed IT-6 unresolved: 3600, 10800, 12000, 33600
    assert (andi.assigned, andi.resolved, andi.median_resolution) == (3, 4, pytest.approx(11400))
    assert andi.average_rating == pytest.approx(3.5)
    assert (rina.assigned, rina.resolved, rina.median_resolution, rina.average_rating) == (1, 1, 18000, 3)


def test_daily_series_in_team_time(history):
    report = reports(history).report(SARI, "IT", "7d")
    days = {d.day.isoformat(): d for d in report.daily}
    assert days["2026-11-22"].backlog == 1
    monday = days["2026-11-23"]
    assert (monday.created, monday.resolved, monday.backlog) == (6, 4, 2)
    assert days["2026-11-26"].backlog == 2 and days["2026-11-26"].created == 0
    assert report.daily[-1].day.isoformat() == "2026-11-26"


def test_overall_counts_confidential_teams_but_does_not_list_them(history):
    report = reports(history).report(ADMIN)
    f = report.overall
    assert (f.created, f.resolved, f.backlog_now) == (7, 5, 2)
    assert [t.team for t in report.teams] == ["IT", "LOG"]
    assert "console:dewi" not in {a.user for a in report.agents}
    # the overall percentiles include HR's resolution: 1000, 3600, 10800, 12000 (IT-6 closed), 18000, 33600
    assert f.resolution.median == pytest.approx(11400)             # (10800 + 12000) / 2
    assert f.resolution.p90 == pytest.approx(25800)                # 18000 + 0.5 * (33600 - 18000)
    assert (f.satisfaction.count, f.satisfaction.total) == (4, 15)


def test_agents_see_only_their_teams(history):
    r = reports(history)
    mine = r.report(ANDI)
    assert mine.scope.teams == ("IT",) and mine.overall.created == 6
    with pytest.raises(PermissionDenied):
        r.report(ANDI, "HR")
    with pytest.raises(PermissionDenied):
        r.report(BUDI)                                             # a requester has no team
    assert r.report(DEWI, "HR").overall.resolved == 1              # HR's own agent sees HR


def test_a_month_and_a_range_cover_the_same_days(history):
    r = reports(history)
    month = r.report(SARI, "IT", "2026-11")
    span = r.report(SARI, "IT", "2026-11-23..2026-11-23")
    assert month.overall.resolution.median == span.overall.resolution.median == pytest.approx(12000)
    assert (span.overall.created, span.overall.backlog_start) == (6, 1)
    october = r.report(SARI, "IT", "2026-10")
    assert (october.overall.created, october.overall.backlog_start) == (1, 0)
    assert october.overall.resolution.count == 0


def test_days_follow_daylight_saving_in_the_report_zone(container, clock):
    """Local days across a DST change (New York, 8 March 2026): a ticket at 04:30 UTC on the 9th is
    00:30 EDT on the 9th (a fixed EST offset would put it on the 8th)."""
    from datetime import datetime, timezone

    from storage.reports import SqlReportSource
    from tickets.reports import Scope, parse_period

    for at in (datetime(2026, 3, 8, 4, 30, tzinfo=timezone.utc), datetime(2026, 3, 9, 4, 30, tzinfo=timezone.utc)):
        clock.at = at
        container.service.open(BUDI, "IT", "clock change")
    now = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
    period = parse_period("2026-03-07..2026-03-09", now, "America/New_York")
    report = SqlReportSource(container.engine).report(Scope(("IT",), ("IT",), "IT", "America/New_York"), period, now)
    assert [(d.day.isoformat(), d.created, d.backlog) for d in report.daily] == [
        ("2026-03-07", 1, 1), ("2026-03-08", 0, 1), ("2026-03-09", 1, 2)]
