"""The weekly report: Monday 09:00 team time, one summary per team to its supervisors, once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.render import render_message
from scheduler.weekly import run_weekly_reports
from storage.models import OutboxRow
from tickets.teams import Actor

BUDI, ANDI = Actor("console:budi"), Actor("console:andi")
MONDAY_0900_WIB = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)


def weekly_rows(container):
    with container.engine.connect() as conn:
        return conn.execute(select(OutboxRow).where(OutboxRow.template == "weekly_report")
                            .order_by(OutboxRow.id)).all()


def test_weekly_report_goes_once_per_team_and_week_to_supervisors(container, clock):
    s = container.service
    s.open(BUDI, "IT", "printer")                      # Monday 23 Nov: last week for the report of the 30th
    clock.advance(hours=1)
    s.claim(ANDI, "IT-1")
    s.resolve(ANDI, "IT-1")
    clock.at = MONDAY_0900_WIB - timedelta(minutes=1)  # 08:59 in Jakarta: not yet
    assert run_weekly_reports(container) == 0
    clock.at = MONDAY_0900_WIB
    queued = run_weekly_reports(container)
    rows = weekly_rows(container)
    # console platform: one DM per supervisor identity; IT and HR have 3 people, LOG has 1
    assert queued == len(rows) == 7
    it = [r for r in rows if r.params["team"] == "IT"]
    assert sorted(r.target for r in it) == ["user:console:sari", "user:discord:203", "user:slack:USARI"]
    assert all(r.dedup_key.startswith("weekly:IT:2026-W49:") for r in it)
    text = render_message(it[0].template, it[0].params, it[0].lang)
    assert text.startswith("Weekly report for IT, 2026-11-23..2026-11-29:")
    assert "Created 1 · resolved 1" in text
    hr = next(r for r in rows if r.params["team"] == "HR")
    assert hr.lang == "id" and "Laporan mingguan tim HR" in render_message(hr.template, hr.params, hr.lang)
    assert "printer" not in hr.params["summary"]
    clock.advance(hours=3)
    assert run_weekly_reports(container) == 0          # same week: already queued
    assert len(weekly_rows(container)) == 7
    clock.advance(days=1)
    assert run_weekly_reports(container) == 0          # Tuesday


def test_weekly_report_can_be_turned_off_or_moved(container, clock):
    clock.at = MONDAY_0900_WIB
    container.settings.scheduler.weekly_report = False
    assert run_weekly_reports(container) == 0
    container.settings.scheduler.weekly_report = True
    container.settings.scheduler.weekly_report_time = "FRI 17:00"
    assert run_weekly_reports(container) == 0
    clock.at = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)  # Friday 17:00 in Jakarta
    assert run_weekly_reports(container) == 7
    container.settings.scheduler.weekly_report_time = "someday"
    assert run_weekly_reports(container) == 0


def test_the_scheduler_tick_queues_the_weekly_report(container, clock):
    from scheduler.jobs import tick

    clock.at = MONDAY_0900_WIB + timedelta(minutes=5)
    assert tick(container)["weekly_reports"] == 7
    assert tick(container)["weekly_reports"] == 0
    assert len(weekly_rows(container)) == 7
