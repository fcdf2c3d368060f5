"""`som suggest`: the ranking against a brute-force reference, hand-worked cases, bad input."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from agenda.cli import som
from agenda.model.errors import SomError
from agenda.read.load import load_meeting
from agenda.plan.suggest import Request, candidate_starts, parse_between, rank, select_members
from agenda.model.timeplan import UTC, parse_duration
from tests import oracle, som29
from tests.planfiles import member, write_directory, write_meeting


def run(*args):
    return CliRunner().invoke(som, list(args))


def meeting_with(tmp_path, members, zone="Europe/Zurich"):
    write_directory(tmp_path, members)
    path = write_meeting(tmp_path, [{"id": "s", "title": "Segment", "date": "2024-01-09", "time": "10:00-11:00"}],
                         zone=zone)
    return path, load_meeting(path)


# --- the brute-force reference ------------------------------------------------------------
#
# Independent of the program: wall times come from GNU date (tests/oracle.py), public and UN
# holidays from the table below, worked out by hand for the windows the tests ask about.

# Local dates 24 March - 1 May 2024 (the windows, widened by a day on each side for zones ahead
# of or behind Geneva). Easter Sunday was 31 March 2024.
HOLIDAYS_2024 = {
    ("CH", "GE"): {date(2024, 3, 29), date(2024, 4, 1)},  # Good Friday, Easter Monday
    ("US", "NY"): set(),  # no federal or New York holiday between Presidents' Day and Memorial Day
    ("US", "CA"): {date(2024, 3, 31), date(2024, 4, 1)},  # Cesar Chavez Day, a Sunday: observed Monday
    ("NZ", None): {date(2024, 3, 29), date(2024, 4, 1), date(2024, 4, 25)},  # ... and Anzac Day
    ("AA", None): set(),  # a user-assigned code: no calendar
}
HOLIDAY_WINDOW = (date(2024, 3, 24), date(2024, 5, 1))
# Days kept free of meetings (resolution 69/250): Eid al-Fitr expected Wed 10 April 2024 and the
# possible day after; Orthodox Good Friday is 3 May, Eid al-Adha in June, Yom Kippur in October.
UN_DAYS_2024 = {date(2024, 4, 10), date(2024, 4, 11)}


def reference_ranking(meeting, members, first, last, duration, step):
    """Every candidate, scored member by member from GNU date's wall times, as the README states
    the ranking: fewest at night, most inside hours, smallest worst hour, Geneva slot, earliest."""
    assert HOLIDAY_WINDOW[0] < first and last < HOLIDAY_WINDOW[1], "extend the hand-worked holiday table"
    home = meeting.zone.key
    walls = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in UN_DAYS_2024:
            walls += [datetime.combine(day, time(0)) + timedelta(minutes=m)
                      for m in range(0, 24 * 60, int(step.total_seconds() // 60))]
        day += timedelta(days=1)
    starts = []
    for wall, utc in zip(walls, oracle.utc_of_local_many([(w, home) for w in walls])):
        if utc is None:
            continue  # the clocks skip it
        # A wall time that happens twice has a second instant an hour away (these zones move by 1 h).
        around = oracle.local_of_utc_many([(utc - timedelta(hours=1), home), (utc + timedelta(hours=1), home)])
        if any(w == wall for w, _, _ in around):
            continue
        starts.append(utc)
    zones = sorted({m.zone.key for m in members} | {"Europe/Zurich"})
    asked = [(t, z) for t in starts for z in zones] + [(t + duration, z) for t in starts for z in zones]
    local = dict(zip(asked, (w for w, _, _ in oracle.local_of_utc_many(asked))))
    rows = []
    for start in starts:
        end = start + duration
        night = inside = worst = 0
        for m in members:
            a, b = local[(start, m.zone.key)], local[(end, m.zone.key)]
            # night: 00:00-06:00 of any day it touches, less the member's own hours
            dark = any(min(b, datetime.combine(d, y)) > max(a, datetime.combine(d, x))
                       for d in (a.date(), a.date() + timedelta(days=1), a.date() + timedelta(days=2))
                       for x, y in ((time(0), min(time(6), m.hours[0])), (m.hours[1], time(6))))
            opens, closes = datetime.combine(a.date(), m.hours[0]), datetime.combine(a.date(), m.hours[1])
            reach = max((opens - a).total_seconds() // 60, (b - closes).total_seconds() // 60, 0)
            worst = max(worst, int(reach))
            if dark:
                night += 1
            elif reach == 0 and a.weekday() in m.workdays and a.date() not in HOLIDAYS_2024[(m.country, m.subdivision)]:
                inside += 1
        ga, gb = local[(start, "Europe/Zurich")], local[(end, "Europe/Zurich")]
        in_slot = any(datetime.combine(ga.date(), x) <= ga and gb <= datetime.combine(ga.date(), y)
                      for x, y in ((time(10), time(13)), (time(15), time(18))))
        rows.append((start, inside, night, worst, in_slot))
    rows.sort(key=lambda r: (r[2], -r[1], r[3], not r[4], r[0]))
    return rows


def program_ranking(meeting, members, first, last, duration, step):
    result = rank(meeting, members, Request(first, last, duration, step, top=10**6))
    return [(s.start.astimezone(UTC), s.inside, s.night, s.worst_minutes, s.geneva_slot) for s in result.slots]


SPREAD = [
    member("gva", "Europe/Zurich", "CH", "Geneva", subdivision="GE"),
    member("early", "Europe/Zurich", "CH", "Geneva", subdivision="GE", hours="07:30-15:30"),
    member("nyc", "America/New_York", "US", "New York", subdivision="NY"),
    member("lax", "America/Los_Angeles", "US", "Los Angeles", subdivision="CA"),
    member("ktm", "Asia/Kathmandu", "NP", "Kathmandu"),
    member("akl", "Pacific/Auckland", "NZ", "Auckland"),
    member("ruh", "Asia/Riyadh", "SA", "Riyadh", workdays=["Sun", "Mon", "Tue", "Wed", "Thu"]),
]
# For the reference: the same zones (+05:45, a Sunday-Thursday week), but Kathmandu's and
# Riyadh's lunar-calendar holidays are not worked out by hand here ("AA" has none); holidays
# in the ranking are checked with CH, US and NZ, and by hand in the tests further down.
REFERENCE_SPREAD = [dict(m, country="AA") if m["id"] in ("ktm", "ruh") else m for m in SPREAD]


def test_same_ranking_as_brute_force_across_clock_changes(tmp_path):
    # 25 March - 12 April 2024: Europe changes on 31 March, Auckland on 7 April; Good Friday
    # and Easter Monday in Geneva; Eid al-Fitr on 10 April (and the possible 11th) is skipped.
    _, meeting = meeting_with(tmp_path, REFERENCE_SPREAD)
    args = (meeting, meeting.members, date(2024, 3, 25), date(2024, 4, 12), timedelta(minutes=90), timedelta(hours=1))
    expected = reference_ranking(*args)
    assert len(expected) > 100
    assert program_ranking(*args) == expected


def test_same_ranking_as_brute_force_with_a_home_zone_that_changes_on_a_weekday(tmp_path):
    # Egypt's summer time began on Friday 26 April 2024 at 00:00 (00:00-00:59 does not exist).
    _, meeting = meeting_with(tmp_path, REFERENCE_SPREAD[:5], zone="Africa/Cairo")
    args = (meeting, meeting.members, date(2024, 4, 24), date(2024, 4, 30), timedelta(minutes=45), timedelta(minutes=15))
    assert program_ranking(*args) == reference_ranking(*args)


def test_candidates_skip_times_that_do_not_exist_or_happen_twice():
    # Cairo: 26 April 2024 00:00 -> 01:00 (a Friday); 31 October 2024 24:00 -> 23:00 (a Thursday).
    zone = ZoneInfo("Africa/Cairo")
    spring = candidate_starts(zone, Request(date(2024, 4, 26), date(2024, 4, 26), timedelta(hours=1), timedelta(minutes=30)))
    walls = [datetime.fromtimestamp(s, zone).strftime("%H:%M") for s in spring]
    # every half hour from 01:00 to 23:30 (00:00 and 00:30 do not exist): 2 × 23 = 46
    assert walls[:2] == ["01:00", "01:30"] and len(walls) == 46
    autumn = candidate_starts(zone, Request(date(2024, 10, 31), date(2024, 10, 31), timedelta(hours=1), timedelta(minutes=30)))
    walls = [datetime.fromtimestamp(s, zone).strftime("%H:%M") for s in autumn]
    # every half hour from 00:00 to 22:30 (23:00 and 23:30 happen twice): 2 × 23 = 46
    assert walls[-1] == "22:30" and len(walls) == 46


# --- hand-worked ----------------------------------------------------------------------------

def test_geneva_and_new_york(tmp_path):
    # Tuesday 3 September 2024, CEST (+2) and EDT (-4), 6 h apart, both 09:00-18:00.
    # A 2 h slot inside both: Geneva 15:00-17:00 or 16:00-18:00 (New York 09:00-11:00, 10:00-12:00),
    # both inside a Geneva slot (15-18): the earlier first. Next, one member inside and the
    # other an hour out: 14:00-16:00 (New York opens at 09:00, 60 min late) and 17:00-19:00
    # (Geneva closes at 18:00, 60 min over): the earlier first.
    path, _ = meeting_with(tmp_path, SPREAD[:1] + SPREAD[2:3])
    result = run("suggest", str(path), "--between", "2024-09-03..2024-09-03", "--duration", "2h", "--step", "1h",
                 "--top", "4", "--format", "json")
    assert result.exit_code == 0, result.output
    slots = json.loads(result.output)["slots"]
    assert [s["start"] for s in slots] == ["2024-09-03T15:00+02:00", "2024-09-03T16:00+02:00",
                                           "2024-09-03T14:00+02:00", "2024-09-03T17:00+02:00"]
    assert [s["start_utc"] for s in slots[:1]] == ["2024-09-03T13:00Z"]
    assert [s["inside"] for s in slots] == [2, 2, 1, 1]
    assert slots[0]["outside"] == [] and slots[0]["geneva_slot"] is True
    assert slots[2]["outside"] == [{"member": "nyc", "local": "Tue 08:00–10:00 EDT", "reason": "hours"}]
    assert slots[3]["outside"] == [{"member": "gva", "local": "Tue 17:00–19:00 CEST", "reason": "hours"}]
    assert slots[0]["score"] == slots[1]["score"] > slots[2]["score"]  # a tie: the earlier start first


def test_nobody_at_night_comes_first(tmp_path):
    # Geneva and Tokyo (+9, no summer time; +7 h from CEST): 2 h inside both would need
    # Geneva 09:00-11:00 = Tokyo 16:00-18:00. A slot with Geneva at 03:00 (night) must rank
    # below every slot with nobody at night, however many are inside.
    path, meeting = meeting_with(tmp_path, [SPREAD[0], member("tyo", "Asia/Tokyo", "JP", "Tokyo")])
    result = rank(meeting, meeting.members, Request(date(2024, 9, 3), date(2024, 9, 3), timedelta(hours=2),
                                                    timedelta(hours=1), top=24))
    assert result.slots[0].start.strftime("%H:%M") == "09:00" and result.slots[0].inside == 2
    nights = [s.night for s in result.slots]
    assert nights == sorted(nights)
    # Geneva 09:00-11:00: Tokyo 16:00-18:00; Geneva 22:00-24:00: Tokyo 05:00-07:00 (night).
    assert next(s for s in result.slots if s.start.hour == 22).night == 1


def test_public_holidays_count_against_the_slot_and_are_listed(tmp_path):
    # Monday 2 September 2024 is Labor Day in the US: New York is not inside, whatever the hour.
    path, _ = meeting_with(tmp_path, SPREAD[:1] + SPREAD[2:3])
    result = run("suggest", str(path), "--between", "2024-09-02..2024-09-02", "--duration", "1h", "--step", "1h",
                 "--top", "1", "--format", "json")
    slot = json.loads(result.output)["slots"][0]
    assert slot["inside"] == 1
    assert slot["holidays"] == [{"member": "nyc", "date": "2024-09-02", "name": "Labor Day"}]


def test_weekends_and_un_holidays_are_not_proposed(tmp_path):
    # 6-12 April 2024: Saturday 6, Sunday 7 (weekend), Wednesday 10 (Eid al-Fitr) and
    # Thursday 11 (the possible day after) are left out: 8, 9 and 12 April remain.
    _, meeting = meeting_with(tmp_path, SPREAD[:1])
    result = rank(meeting, meeting.members, Request(date(2024, 4, 6), date(2024, 4, 12), timedelta(hours=1),
                                                    timedelta(hours=1), top=10**4))
    assert sorted({s.start.date().day for s in result.slots}) == [8, 9, 12]
    assert result.candidates == 3 * 24  # those 3 days, every hour from 00:00 to 23:00


def test_the_days_left_out_are_named_with_the_reason(tmp_path):
    # Same week, 6-12 April 2024, with a member who follows no duty-station calendar: Wednesday
    # 10 April is Eid al-Fitr's expected date; nothing settles whether the UN observes it on the
    # 11th instead, so that day is left out as "possibly" a day kept free of meetings.
    _, meeting = meeting_with(tmp_path, SPREAD[:1])
    result = rank(meeting, meeting.members, Request(date(2024, 4, 6), date(2024, 4, 12), timedelta(hours=1),
                                                    timedelta(hours=1), top=3))
    assert [(d.date, d.reason, d.holiday) for d in result.left_out] == [
        (date(2024, 4, 6), "weekend", None), (date(2024, 4, 7), "weekend", None),
        (date(2024, 4, 10), "kept free of meetings", "Eid al-Fitr"),
        (date(2024, 4, 11), "possibly kept free of meetings", "Eid al-Fitr")]
    from agenda.render.suggest import suggestion_report

    footer = suggestion_report(result).tables[0].footer
    assert footer[1:] == [
        "left out: Sat 06 Apr 2024 and Sun 07 Apr 2024, a weekend in Geneva",
        "left out: Wed 10 Apr 2024, a day kept free of meetings (Eid al-Fitr, resolution 69/250)",
        "left out: Thu 11 Apr 2024, possibly a day kept free of meetings (Eid al-Fitr if the UN observes it "
        "the day after the expected date, resolution 69/250)"]


def test_17_june_2024_is_named_in_the_footer_and_the_json():
    # Mon 17 - Sun 23 June 2024, the bundled meeting (Geneva). Eid al-Adha was expected on
    # Sunday 16 June; every bundled duty-station calendar lists it on Monday 17 June, so the
    # 17th is a day kept free of meetings. Sat 22 and Sun 23 are the weekend. Left: 18-21 June,
    # 4 days x 48 half-hour starts (no clock change) = 192 start times.
    for fmt in ("table", "md"):
        result = run("suggest", "--between", "2024-06-17..2024-06-23", "--format", fmt, "--top", "2")
        assert result.exit_code == 0, result.output
        text = " ".join(result.output.split())
        assert "192 start times ranked" in text
        assert "left out: Mon 17 Jun 2024, a day kept free of meetings (Eid al-Adha, resolution 69/250)" in text
        assert "left out: Sat 22 Jun 2024 and Sun 23 Jun 2024, a weekend in Geneva" in text
    doc = json.loads(run("suggest", "--between", "2024-06-17..2024-06-23", "--format", "json").output)
    assert doc["candidates"] == 192
    assert doc["left_out"] == [
        {"date": "2024-06-17", "reason": "kept free of meetings", "holiday": "Eid al-Adha"},
        {"date": "2024-06-22", "reason": "weekend", "holiday": None},
        {"date": "2024-06-23", "reason": "weekend", "holiday": None}]


def test_floating_holidays_are_the_staff_chosen_days_only():
    # Sat 15 and Sun 16 June 2024 are the weekend, Mon 17 is Eid al-Adha (resolution 69/250):
    # nothing to propose, and the message names the days kept free of meetings, not "floating".
    result = run("suggest", "--between", "2024-06-15..2024-06-17")
    assert result.exit_code == 2
    assert "every day is a weekend in Geneva or a day the General Assembly asks to keep free of meetings " \
           "(resolution 69/250)" in result.output
    assert "floating" not in result.output
    assert "floating" not in run("suggest", "--help").output


def test_members_option(tmp_path):
    path, meeting = meeting_with(tmp_path, SPREAD)
    assert [m.id for m in select_members(meeting, ("GVA,nyc", "ktm"))] == ["gva", "nyc", "ktm"]
    result = run("suggest", str(path), "--between", "2024-09-03..2024-09-03", "--members", "gva", "--members", "nyx")
    assert result.exit_code == 2
    assert "no member `nyx`" in result.output and "did you mean" in result.output


def test_bundled_meeting_table():
    result = run("suggest", "--between", "2024-09-02..2024-09-06", "--duration", "2h", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "Start (Geneva)" in result.output and f"/{len(som29.MEMBERS)}" in result.output  # inside / members


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--between", "2024-09-27..2024-09-02"], "reversed"),
    (["--between", "2024-09-02"], "not a range of dates"),
    (["--between", "2024-09-02..next friday"], "`next friday` is not a date"),
    (["--between", "2024-02-30..2024-03-02"], "`2024-02-30` is not a date"),
    (["--between", "2024-01-01..2025-12-31"], "more than a year"),
    (["--between", "2024-09-02..2024-09-06", "--duration", "0m"], "is zero"),
    (["--between", "2024-09-02..2024-09-06", "--duration", "0:00"], "is zero"),
    (["--between", "2024-09-02..2024-09-06", "--duration", "two hours"], "cannot read the duration"),
    (["--between", "2024-09-02..2024-09-06", "--duration", "0"], "the duration must be longer than zero"),
    (["--between", "2024-09-02..2024-09-06", "--step", "0"], "the step must be longer than zero"),
    (["--between", "2024-09-02..2024-09-06", "--step", "0h"], "the step `0h` is zero"),
    (["--between", "2024-09-07..2024-09-08"], "no start time to propose"),
])
def test_bad_input_exits_2_with_a_message(args, message):
    result = run("suggest", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.fuzz
@given(st.text(max_size=40))
def test_fuzz_between(text):
    try:
        first, last = parse_between(text)
    except SomError:
        return
    assert first <= last


@pytest.mark.fuzz
@given(st.one_of(st.text(max_size=20), st.from_regex(r"\d{1,4}(\.\d{1,3})?\s*(h|m|min|hours?)?\s*\d{0,3}", fullmatch=True)))
def test_fuzz_duration(text):
    try:
        value = parse_duration(text)
    except SomError:
        return
    assert timedelta(0) < value <= timedelta(days=1) and value.total_seconds() % 60 == 0


def test_the_table_groups_members_outside_hours_by_city_easternmost_first():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from agenda.model.meeting import Member
    from agenda.plan.suggest import Outside
    from agenda.render.suggest import outside_by_city

    tokyo, new_york = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/New_York")
    start = datetime(2024, 9, 3, 13, 0, tzinfo=ZoneInfo("UTC"))  # 22:00 in Tokyo, 09:00 in New York
    end = datetime(2024, 9, 3, 15, 0, tzinfo=ZoneInfo("UTC"))
    people = [Member("a", "A", "A", "New York", "US", new_york), Member("b", "B", "B", "Tokyo", "JP", tokyo),
              Member("c", "C", "C", "Tokyo", "JP", tokyo), Member("d", "D", "D", "Tokyo", "JP", tokyo)]
    outside = tuple(Outside(m, start.astimezone(m.zone), end.astimezone(m.zone), "hours", None) for m in people)
    assert outside_by_city(outside) == ("Tokyo Tue 22:00–00:00 JST (B, C and D); "
                                        "New York Tue 09:00–11:00 EDT (A)")
