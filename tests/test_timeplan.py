"""The time engine against an oracle that is not our code: GNU `date` with TZ= (tests/oracle.py)."""

from __future__ import annotations

import datetime as dt
from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.model.errors import SomError, ZoneAssumed
from agenda.model.timeplan import (UTC, local_span, localize, parse_label, parse_time_range, parse_when,
                             resolve_zone, working_hours_status)
from tests import oracle

# Zones that break naive conversion: :30 and :45 offsets, southern-hemisphere DST, the
# dateline, and the northern zones whose DST dates differ (the EU/US divergence weeks).
HARD_ZONES = [
    "Europe/Zurich", "America/New_York", "America/Santiago", "Pacific/Auckland", "Asia/Kathmandu",
    "Pacific/Chatham", "America/St_Johns", "Asia/Kolkata", "Australia/Adelaide", "Australia/Lord_Howe",
    "Asia/Tokyo", "Africa/Nairobi", "Europe/London", "America/Sao_Paulo", "Pacific/Kiritimati",
    "Pacific/Pago_Pago", "Asia/Tehran", "America/Asuncion", "Africa/Casablanca", "Asia/Beirut",
]

# Days around every rule change that matters to a Geneva secretariat, always tested.
DIVERGENCE_DAYS = [date(2023, 10, 31), date(2024, 3, 12), date(2023, 3, 14), date(2023, 10, 29),
                   date(2024, 3, 31), date(2024, 11, 3), date(2023, 4, 2), date(2023, 9, 24)]

ZURICH = resolve_zone("Europe/Zurich")


def _minutes(dt_: dt.datetime) -> int:
    return int(dt_.utcoffset().total_seconds() // 60)


wall_times = st.builds(
    dt.datetime.combine,
    st.one_of(st.dates(date(2019, 1, 1), date(2031, 12, 31)), st.sampled_from(DIVERGENCE_DAYS)),
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59])),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(wall_times, st.sampled_from(HARD_ZONES)), min_size=25, max_size=25))
def test_local_wall_time_to_utc_matches_gnu_date(cases):
    expected = oracle.utc_of_local_many([(w, z) for w, z in cases])
    for (wall, zone), want in zip(cases, expected):
        try:
            got = localize(wall.date(), wall.time(), resolve_zone(zone))
        except SomError as exc:
            if want is None:  # GNU date: the wall time falls in a gap
                assert "does not exist" in exc.message
            else:  # ambiguous: GNU date picks one reading; the error must show it among both
                assert "happens twice" in exc.message
                assert f"{want:%H:%M} UTC" in exc.message
            continue
        assert want is not None, f"{wall} {zone} exists for som but not for GNU date"
        assert got.astimezone(UTC) == want, (wall, zone)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.datetimes(dt.datetime(2019, 1, 1), dt.datetime(2031, 12, 31)),
                          st.sampled_from(HARD_ZONES)), min_size=25, max_size=25))
def test_utc_to_local_matches_gnu_date(cases):
    instants = [(u.replace(second=0, microsecond=0, tzinfo=UTC), z) for u, z in cases]
    expected = oracle.local_of_utc_many(instants)
    for (instant, zone), (wall, abbrev, offset) in zip(instants, expected):
        span = local_span(instant, instant + timedelta(hours=1), resolve_zone(zone), home_date=instant.date())
        assert span.start.replace(tzinfo=None) == wall
        assert _minutes(span.start) == offset
        if abbrev.isalpha():
            assert span.abbreviation == abbrev


@pytest.mark.parametrize("local, zone, target", [
    # the EU/US divergence weeks: Geneva is back on CET, New York still on EDT (5 h → 4 h... and back)
    ("2023-10-31 15:00", "Europe/Zurich", "America/New_York"),
    ("2024-03-12 15:00", "Europe/Zurich", "America/New_York"),
    ("2023-09-26 15:00", "Europe/Zurich", "America/Santiago"),
    ("2023-09-26 15:00", "Europe/Zurich", "Pacific/Auckland"),
    ("2023-09-26 15:00", "Europe/Zurich", "Asia/Kathmandu"),
    ("2023-09-26 15:00", "Europe/Zurich", "Pacific/Chatham"),
    ("2024-01-16 15:00", "Europe/Zurich", "Pacific/Chatham"),
    ("2023-09-26 15:00", "Europe/Zurich", "America/St_Johns"),
])
def test_named_cases_match_gnu_date(local, zone, target):
    naive = dt.datetime.fromisoformat(local)
    instant = localize(naive.date(), naive.time(), resolve_zone(zone))
    assert instant.astimezone(UTC) == oracle.utc_of_local(local, zone)
    wall, _, offset = oracle.local_of_utc(instant.astimezone(UTC), target)
    got = instant.astimezone(resolve_zone(target))
    assert (got.replace(tzinfo=None), _minutes(got)) == (wall, offset)


def test_hand_checked_conversions():
    # Worked out by hand: CEST = UTC+2, EDT = UTC-4, JST = UTC+9, NZDT = UTC+13 (from 24 Sep 2023).
    start = localize(date(2023, 9, 26), time(15), ZURICH)
    assert start.astimezone(resolve_zone("America/New_York")).strftime("%H:%M %Z") == "09:00 EDT"
    assert start.astimezone(resolve_zone("Asia/Tokyo")).strftime("%H:%M") == "22:00"
    auckland = start.astimezone(resolve_zone("Pacific/Auckland"))
    assert (auckland.day, auckland.strftime("%H:%M")) == (27, "02:00")


# --- labels ----------------------------------------------------------------------------------

def test_cest_label_in_winter_names_the_right_label_and_time():
    with pytest.raises(SomError) as err:
        localize(date(2023, 11, 16), time(15), ZURICH, label=parse_label("CEST"), place="Geneva",
                 written="15:00-17:00 CEST")
    message = str(err.value)
    # 16 Nov 2023 Geneva is on CET (UTC+1); 15:00 UTC+2 is 13:00 UTC, i.e. 14:00 CET.
    assert "Geneva is on CET (UTC+01:00)" in message
    assert "15:00 UTC+02:00 is 14:00 CET" in message


@pytest.mark.parametrize("label", ["CEST", "UTC+2", "UTC+02:00", "GMT+2", "+02:00", "cest"])
def test_right_labels_are_accepted(label):
    got = localize(date(2023, 9, 26), time(15), ZURICH, label=parse_label(label))
    assert got.astimezone(UTC) == dt.datetime(2023, 9, 26, 13, tzinfo=UTC)


@pytest.mark.parametrize("label", ["CET", "UTC", "UTC+01:00", "EDT"])
def test_wrong_labels_are_refused(label):
    with pytest.raises(SomError):
        localize(date(2023, 9, 26), time(15), ZURICH, label=parse_label(label))


def test_unknown_label():
    with pytest.raises(SomError, match="unknown time label"):
        parse_label("XYZT")


# --- gaps and folds --------------------------------------------------------------------------

def test_spring_forward_gap_shows_both_readings():
    # 26 Mar 2023 02:00 CET → 03:00 CEST. 02:30 read as UTC+1 is 01:30Z = 03:30 CEST;
    # read as UTC+2 it is 00:30Z = 01:30 CET.
    with pytest.raises(SomError) as err:
        localize(date(2023, 3, 26), time(2, 30), ZURICH)
    message = err.value.message
    assert "does not exist" in message
    assert "03:30 CEST (01:30 UTC)" in message and "01:30 CET (00:30 UTC)" in message


def test_fall_back_fold_shows_both_readings_and_a_label_picks_one():
    # 29 Oct 2023 03:00 CEST → 02:00 CET: 02:30 happens at 00:30Z (CEST) and 01:30Z (CET).
    with pytest.raises(SomError) as err:
        localize(date(2023, 10, 29), time(2, 30), ZURICH)
    assert "02:30 CEST (00:30 UTC)" in err.value.message and "02:30 CET (01:30 UTC)" in err.value.message
    cet = localize(date(2023, 10, 29), time(2, 30), ZURICH, label=parse_label("CET"))
    assert cet.astimezone(UTC) == dt.datetime(2023, 10, 29, 1, 30, tzinfo=UTC)


# --- reading times ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end, label", [
    ("15:00-17:00 CEST", time(15), time(17), "CEST"),
    ("15:00 – 17:00", time(15), time(17), None),
    ("15:00 — 17:00", time(15), time(17), None),
    ("15:00 to 17:00", time(15), time(17), None),
    ("3pm-5pm CEST", time(15), time(17), "CEST"),
    ("2 pm – 3.30 pm", time(14), time(15, 30), None),
    ("2-3.30 pm", time(14), time(15, 30), None),
    ("11 am - 1 pm", time(11), time(13), None),
    ("from 15:00 to 17:00 CET (Geneva time)", time(15), time(17), "CET"),
    ("14h00-15h30 UTC+02:00", time(14), time(15, 30), "UTC+02:00"),
])
def test_time_ranges(text, start, end, label):
    rng = parse_time_range(text)
    assert (rng.start, rng.end) == (start, end)
    assert (rng.label.text if rng.label else None) == label


@pytest.mark.parametrize("text", ["", "15:00", "25:00-26:00", "15:61-16:00", "13pm-2pm", "soon"])
def test_unreadable_time_ranges(text):
    with pytest.raises(SomError):
        parse_time_range(text)


@pytest.mark.parametrize("text", [
    "2023-09-26 15:00", "2023-09-26T15:00+02:00", "26 September 2023 15:00 CEST",
    "26th September 2023, 15:00 CEST", "Tuesday, 26 September 2023, 3pm CEST", "Sep 26, 2023 15:00",
    "2023-09-26T13:00Z", "26 September 2023 13:00 UTC",
])
def test_when_forms_all_mean_13z(text):
    when = parse_when(text, ZURICH, zone_given=False)
    assert when.instant.astimezone(UTC) == oracle.utc_of_local("2023-09-26 15:00", "Europe/Zurich")


def test_when_with_wrong_weekday_or_missing_parts():
    with pytest.raises(SomError, match="is a Tuesday"):
        parse_when("Monday, 26 September 2023, 15:00", ZURICH)
    with pytest.raises(SomError, match="no time of day"):
        parse_when("26 September 2023", ZURICH)
    with pytest.raises(SomError, match="no full date"):
        parse_when("15:00 CEST", ZURICH)


def test_when_with_a_foreign_abbreviation_asks_for_the_zone():
    with pytest.raises(SomError) as err:
        parse_when("26 September 2023 09:00 EDT", ZURICH, zone_given=False, place="Geneva")
    assert isinstance(err.value, ZoneAssumed) and err.value.example == "America/New_York"
    assert err.value.hint == "name the zone it is written in, e.g. America/New_York"


# --- zones -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, suggestion", [
    ("Europe/Geneva", "Europe/Zurich"), ("europe/zurich", "Europe/Zurich"),
    ("America/Newyork", "America/New_York"), ("Asia/Kathmando", "Asia/Kathmandu"),
    ("America/Washington", "America/New_York"),
])
def test_unknown_zones_suggest_the_closest(name, suggestion):
    with pytest.raises(SomError) as err:
        resolve_zone(name)
    assert f"`{suggestion}`" in err.value.hint


@pytest.mark.parametrize("name", ["CEST", "CET", "EST5EDT", "", "../etc/passwd", "/etc/localtime"])
def test_labels_and_paths_are_not_zones(name):
    with pytest.raises(SomError):
        resolve_zone(name)


# --- working hours ---------------------------------------------------------------------------

WEEK = frozenset(range(5))


@pytest.mark.parametrize("start, end, status", [
    ("2023-09-26 09:00", "2023-09-26 11:00", "inside"),
    ("2023-09-26 08:00", "2023-09-26 10:00", "partly"),
    ("2023-09-26 17:00", "2023-09-26 19:00", "partly"),
    ("2023-09-26 22:00", "2023-09-27 00:00", "outside"),
    ("2023-09-30 10:00", "2023-09-30 12:00", "outside"),  # a Saturday
    ("2023-09-29 17:30", "2023-09-29 18:00", "inside"),
])
def test_working_hours(start, end, status):
    got = working_hours_status(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end),
                               (time(9), time(18)), WEEK)
    assert got == status


@pytest.mark.parametrize("text", ["UTC10", "UTC12", "A5", "GMT 2", "UTC+15", "UTC+02:60"])
def test_labels_without_a_sign_or_out_of_range_are_refused(text):
    with pytest.raises(SomError):
        parse_label(text)


@given(st.sampled_from(["UTC", "GMT", "UT", ""]), st.sampled_from(["+", "-", "−"]), st.integers(0, 14),
       st.sampled_from([0, 15, 30, 45]), st.sampled_from(["{h}:{m:02d}", "{h:02d}{m:02d}", "{h}"]),
       st.sampled_from(["", " "]))
def test_offset_labels_mean_what_they_say(prefix, sign, hours, minutes, form, space):
    if form == "{h}" and minutes:
        minutes = 0
    if prefix == "" and form != "{h:02d}{m:02d}":
        form = "{h:02d}:{m:02d}"  # a bare offset is written +02:00 or +0200
    text = f"{prefix}{space}{sign}{form.format(h=hours, m=minutes)}"
    label = parse_label(text)
    want = (hours * 60 + minutes) * (1 if sign == "+" else -1)
    assert label.offset == timedelta(minutes=want), text


@pytest.mark.parametrize("text", ["10/11/2024 15:00", "26.09.2023 15:00", "11-10-2024 15:00"])
def test_numeric_dates_are_refused_as_ambiguous(text):
    with pytest.raises(SomError, match="10 November in Geneva and 11 October in New York"):
        parse_when(text, ZURICH)


def test_iso_with_a_one_digit_hour_and_dotted_times():
    assert parse_when("2023-09-26 3:00", ZURICH).instant.astimezone(UTC) == oracle.utc_of_local(
        "2023-09-26 03:00", "Europe/Zurich")
    assert parse_when("26 September 2023 3.30 pm CEST", ZURICH).instant.astimezone(UTC) == oracle.utc_of_local(
        "2023-09-26 15:30", "Europe/Zurich")


def test_a_meridiem_on_hour_zero_is_a_som_error():
    with pytest.raises(SomError):
        parse_time_range("0:00-0PM")
