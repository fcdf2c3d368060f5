"""agenda.model.hours.fit, the one working-hours rule of `som schedule`, `som check` and
`som suggest`, on spans worked out by hand in minutes after the start's local midnight
(01:00 = 60, 08:00 = 480, 23:00 = 1380, 01:00 the next day = 1500)."""

from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from agenda.model.hours import HOLIDAY, WEEKEND, WORKDAY, Fit, fit, local_fit, local_minutes


@pytest.mark.parametrize("span, hours, days, want", [
    # 09:00-18:00, a workday: 10:00-12:00 inside; 08:00-10:00 opens an hour early.
    ((600, 720), (540, 1080), (WORKDAY,), Fit("inside", None, 0)),
    ((480, 600), (540, 1080), (WORKDAY,), Fit("partly", "hours", 60)),
    # 09:00-18:00: 05:00-07:00 is at night (05:00-06:00); 05:00 is 240 min before the opening.
    ((300, 420), (540, 1080), (WORKDAY,), Fit("outside", "night", 240)),
    # 00:00-08:00: 01:00-02:00 is their working time, not their night.
    ((60, 120), (0, 480), (WORKDAY,), Fit("inside", None, 0)),
    # 00:00-08:00 on a Saturday of a Monday-Friday member: their hour, a day off.
    ((60, 120), (0, 480), (WEEKEND,), Fit("outside", "weekend", 0)),
    ((60, 120), (0, 480), (HOLIDAY,), Fit("outside", "holiday", 0)),
    # 02:00-05:00: 04:00-05:30 runs 30 min past a close before 06:00: night, partly.
    ((240, 330), (120, 300), (WORKDAY,), Fit("partly", "night", 30)),
    # 00:00-08:00, 23:00-01:00 the next day: the hour after midnight is the next day's working
    # time (partly; not night); 23:00 is after the close of the first day: out of hours.
    ((1380, 1500), (0, 480), (WORKDAY, WORKDAY), Fit("partly", "hours", 1020)),
    # the same into a Saturday: nothing of it is working time.
    ((1380, 1500), (0, 480), (WORKDAY, WEEKEND), Fit("outside", "hours", 1020)),
    # 09:00-18:00, 23:00-01:00: past midnight is night.
    ((1380, 1500), (540, 1080), (WORKDAY, WORKDAY), Fit("outside", "night", 420)),
])
def test_fit_by_hand(span, hours, days, want):
    assert fit(*span, *hours, days) == want


@pytest.mark.parametrize("zone, start_utc, end_utc, minutes, status, reason", [
    # New York falls back on Sunday 3 November 2024 at 06:00 UTC (02:00 EDT -> 01:00 EST):
    # 05:30-06:30 UTC is 01:30 EDT to 01:30 EST, an hour that shows no wall-clock time; it runs
    # over 01:30-02:00 and 01:00-01:30: 01:00-02:00 (60-120), at night for 09:00-18:00.
    ("America/New_York", "2024-11-03T05:30", "2024-11-03T06:30", (60, 120), "outside", "night"),
    # Cairo falls back on Thursday 31 October 2024 at 21:00 UTC (24:00 EEST -> 23:00 EET):
    # 20:30-21:30 UTC is 23:30 EEST to 23:30 EET, over 23:00-24:00 (1380-1440): after hours.
    ("Africa/Cairo", "2024-10-31T20:30", "2024-10-31T21:30", (1380, 1440), "outside", "hours"),
    # Geneva springs forward on Sunday 31 March 2024 at 01:00 UTC (02:00 CET -> 03:00 CEST):
    # 00:30-01:30 UTC is 01:30 CET to 03:30 CEST (90-210), the skipped hour inside.
    ("Europe/Zurich", "2024-03-31T00:30", "2024-03-31T01:30", (90, 210), "outside", "night"),
])
def test_a_span_over_a_clock_change_covers_the_wall_times_it_shows(zone, start_utc, end_utc, minutes, status, reason):
    start, end = (datetime.fromisoformat(t).replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone))
                  for t in (start_utc, end_utc))
    assert local_minutes(start, end) == minutes
    judged = local_fit(start, end, (time(9), time(18)), frozenset(range(7)))
    assert (judged.status, judged.reason) == (status, reason)
