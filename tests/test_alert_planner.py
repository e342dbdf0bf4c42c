"""The alert calendar: occurrences in the time zone, catch-up, idempotent planning, quiet
hours, audiences and regions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from alert_helpers import SHANGHAI, at

from bot.alerts.cron import cron_trigger
from bot.alerts.outbox import alert_key
from bot.alerts.planner import Planner, occurrences
from bot.alerts.quiet import QuietHours, parse_quiet_hours
from bot.content.models import Alert

QUIET = QuietHours.from_setting("21:00-08:00", SHANGHAI)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def alert(**fields: object) -> Alert:
    return Alert.model_validate({"id": "t", "text": "提醒", **fields})


class TestOccurrences:
    @pytest.mark.parametrize(
        ("schedule", "weekday"),
        [("0 9 * * 1", "Mon"), ("0 9 * * mon", "Mon"), ("0 9 * * 0", "Sun"), ("0 9 * * 5", "Fri")],
    )
    def test_weekdays_are_read_the_crontab_way(self, schedule: str, weekday: str) -> None:
        """1 is Monday and 0 is Sunday, as in crontab (APScheduler alone counts 0 = Monday)."""
        fire = cron_trigger(schedule, SHANGHAI).get_next_fire_time(None, local("2026-11-28 12:00"))
        assert fire is not None and fire.strftime("%a %H:%M") == f"{weekday} 09:00"

    def test_cron_is_in_the_configured_time_zone(self) -> None:
        found = occurrences(
            alert(schedule="0 9 * * mon"),
            SHANGHAI,
            local("2026-11-29 00:00"),
            local("2026-12-08 00:00"),
        )
        assert [f.isoformat() for f in found] == [
            "2026-11-30T09:00:00+08:00",
            "2026-12-07T09:00:00+08:00",
        ]

    def test_a_date_means_nine_in_the_morning_and_a_datetime_its_time(self) -> None:
        window = (local("2027-01-01 00:00"), local("2027-12-31 00:00"))
        assert occurrences(alert(at=date(2027, 1, 30)), SHANGHAI, *window) == [
            local("2027-01-30 09:00")
        ]
        assert occurrences(alert(at=datetime(2027, 2, 5, 10, 0)), SHANGHAI, *window) == [
            local("2027-02-05 10:00")
        ]

    def test_until_ends_the_schedule(self) -> None:
        found = occurrences(
            alert(schedule="0 9 * * *", until=date(2026, 12, 3)),
            SHANGHAI,
            local("2026-12-01 00:00"),
            local("2026-12-10 00:00"),
        )
        assert [f.day for f in found] == [1, 2, 3]

    def test_the_window_is_half_open(self) -> None:
        """An occurrence exactly at `after` belongs to the previous window."""
        a = alert(schedule="0 9 * * *")
        assert occurrences(a, SHANGHAI, local("2026-12-01 09:00"), local("2026-12-02 08:59")) == []
        assert (
            len(occurrences(a, SHANGHAI, local("2026-12-01 08:59"), local("2026-12-01 09:00"))) == 1
        )


class TestQuietHours:
    @pytest.mark.parametrize(
        ("when", "quiet"),
        [
            ("2026-12-01 20:59", False),
            ("2026-12-01 21:00", True),
            ("2026-12-01 23:59", True),
            ("2026-12-02 03:00", True),
            ("2026-12-02 07:59", True),
            ("2026-12-02 08:00", False),
            ("2026-12-02 12:00", False),
        ],
    )
    def test_default_span_wraps_midnight(self, when: str, quiet: bool) -> None:
        assert QUIET.is_quiet(at(when)) is quiet

    def test_next_allowed_is_the_morning(self) -> None:
        assert QUIET.next_allowed(at("2026-12-01 22:10")) == at("2026-12-02 08:00")
        assert QUIET.next_allowed(at("2026-12-02 06:10")) == at("2026-12-02 08:00")
        assert QUIET.next_allowed(at("2026-12-02 09:10")) == at("2026-12-02 09:10")

    def test_off_and_daytime_spans(self) -> None:
        off = QuietHours.from_setting("off", SHANGHAI)
        assert not off.enabled and not off.is_quiet(at("2026-12-01 23:00"))
        nap = QuietHours.from_setting("12:00-14:00", SHANGHAI)
        assert nap.is_quiet(at("2026-12-01 13:00")) and not nap.is_quiet(at("2026-12-01 15:00"))
        assert nap.next_allowed(at("2026-12-01 13:00")) == at("2026-12-01 14:00")

    @pytest.mark.parametrize("bad", ["21-8", "25:00-08:00", "21:00-08:61", "night"])
    def test_bad_settings_are_refused(self, bad: str) -> None:
        with pytest.raises(ValueError):
            parse_quiet_hours(bad)


class TestPlanner:
    def test_one_row_per_subscriber_and_a_repeat_adds_nothing(self, storage) -> None:
        """Planning the same window again — or after a restart — writes no new rows."""
        for user in (1, 2, 3):
            storage.subscribe(user, "senior", 0)
        weekly = alert(id="weekly", schedule="0 9 * * mon")
        now = at("2026-11-30 09:00:30")
        first = Planner(storage, QUIET).plan([weekly], now)
        assert first.added == 3 and first.due == [alert_key("weekly", at("2026-11-30 09:00"))]
        assert Planner(storage, QUIET).plan([weekly], now + 60).added == 0  # "after restart"
        assert storage.outbox_counts() == {"pending": 3}

    def test_catch_up_after_downtime_sends_the_missed_occurrence_once(self, storage) -> None:
        storage.subscribe(1, "senior", 0)
        weekly = alert(id="weekly", schedule="0 9 * * mon")
        # down from Monday 08:00 to 15:00: the 09:00 alert is planned at start-up
        report = Planner(storage, QUIET).plan([weekly], at("2026-11-30 15:00"))
        assert report.added == 1
        [row] = storage.due(at("2026-11-30 15:00"), 10)
        assert row.key == alert_key("weekly", at("2026-11-30 09:00"))

    def test_catch_up_is_bounded(self, storage) -> None:
        """An occurrence older than the catch-up window is not sent any more."""
        storage.subscribe(1, "senior", 0)
        weekly = alert(id="weekly", schedule="0 9 * * mon")
        planner = Planner(storage, QUIET, catchup=timedelta(hours=24))
        assert planner.plan([weekly], at("2026-12-01 10:00")).added == 0

    def test_only_the_latest_missed_run_of_a_frequent_alert(self, storage) -> None:
        storage.subscribe(1, "senior", 0)
        hourly = alert(id="hourly", schedule="0 * * * *")
        assert Planner(storage, QUIET).plan([hourly], at("2026-12-01 15:30")).added == 1
        [row] = storage.due(at("2026-12-01 15:30"), 10)
        assert row.key == alert_key("hourly", at("2026-12-01 15:00"))

    def test_new_subscribers_do_not_get_old_occurrences(self, storage) -> None:
        storage.subscribe(1, "senior", int(at("2026-11-30 08:00")))
        storage.subscribe(2, "senior", int(at("2026-11-30 10:00")))
        weekly = alert(id="weekly", schedule="0 9 * * mon")
        Planner(storage, QUIET).plan([weekly], at("2026-11-30 12:00"))
        assert [r.user_id for r in storage.due(at("2026-11-30 12:00"), 10)] == [1]

    def test_an_occurrence_in_quiet_hours_waits_for_the_morning(self, storage) -> None:
        storage.subscribe(1, "senior", 0)
        late = alert(id="late", schedule="30 22 * * *")
        Planner(storage, QUIET).plan([late], at("2026-12-01 22:31"))
        assert storage.due(at("2026-12-02 07:59"), 10) == []
        assert storage.next_due() == at("2026-12-02 08:00")

    def test_audience_and_region(self, storage) -> None:
        storage.subscribe(1, "senior", 0)
        storage.subscribe(2, "family", 0)
        storage.subscribe(3, "senior", 0)
        storage.set_region(3, "朝阳区")
        alerts = [
            alert(id="seniors", schedule="0 9 * * *", audience="seniors"),
            alert(id="family", schedule="0 9 * * *", audience="family"),
            alert(id="local", schedule="0 9 * * *", region="朝阳区"),
        ]
        Planner(storage, QUIET).plan(alerts, at("2026-12-01 09:01"))
        rows = storage.due(at("2026-12-01 09:01"), 10)
        got = {(r.key.split(":")[1], r.user_id) for r in rows}
        assert got == {("seniors", 1), ("seniors", 3), ("family", 2), ("local", 3)}

    def test_inactive_and_unsubscribed_people_are_not_planned(self, storage) -> None:
        storage.subscribe(1, "senior", 0)
        storage.subscribe(2, "senior", 0)
        storage.subscribe(3, "senior", 0)
        storage.deactivate(2, "blocked", 0)
        storage.unsubscribe(3, 0)
        Planner(storage, QUIET).plan([alert(schedule="0 9 * * *")], at("2026-12-01 09:01"))
        assert [r.user_id for r in storage.due(at("2026-12-01 09:01"), 10)] == [1]


class TestShippedCalendar:
    def test_the_calendar_has_weekly_monthly_and_seasonal_alerts(self, content) -> None:
        ids = {a.id for a in content.alerts}
        assert {"weekly_sanbu", "monthly_pension", "chongyang_2027_week"} <= ids
        assert any(i.startswith("spring_festival") for i in ids)

    def test_every_shipped_alert_runs_at_a_reasonable_local_hour(self, content) -> None:
        """No shipped alert falls in the default quiet hours."""
        after, until = local("2026-11-28 00:00"), local("2028-12-31 00:00")
        for a in content.alerts:
            found = occurrences(a, SHANGHAI, after, until)
            assert found, f"{a.id} never runs"
            assert all(not QUIET.is_quiet(f.timestamp()) for f in found), a.id
