"""agenda.render.ics: content lines, escaping, folding, and the compact VTIMEZONE checked against GNU date."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.model.ids import segment_uid
from agenda.render import ics
from agenda.model.meeting import Person
from tests import oracle, parsers, som29

UTC = dt.timezone.utc
ORGANIZER = Person("EMG Secretariat", "emg.secretariat@example.org")


def unfold(data: bytes) -> list[str]:
    return data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")[:-1]


# --- text and lines ------------------------------------------------------------------------

def test_escape_text_escapes_what_rfc5545_names():
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert ics.escape_text("x\r\ny\rz") == "x\\ny\\nz"
    assert ics.escape_text("bell\x07tab\tend") == "belltab end"


def test_param_value_quotes_and_drops_what_a_parameter_cannot_hold():
    assert ics.param_value("UNEP") == "UNEP"
    assert ics.param_value("Smith, Ann") == '"Smith, Ann"'
    assert ics.param_value('say "hi": now') == "\"say 'hi': now\""
    assert ics.param_value("two\nlines") == "two lines"


def test_fold_keeps_short_lines_whole():
    assert ics.fold("SUMMARY:short") == b"SUMMARY:short\r\n"
    assert ics.fold("X:" + "a" * 73) == b"X:" + b"a" * 73 + b"\r\n"  # exactly 75 octets


def test_fold_cuts_at_75_octets_and_never_inside_a_character():
    line = "SUMMARY:" + "é" * 40  # octet 75 falls inside an é
    data = ics.fold(line)
    assert parsers.check_lines(data) == []
    assert unfold(data) == [line]
    assert data.split(b"\r\n")[0] == ("SUMMARY:" + "é" * 33).encode()  # 74 octets, not 75


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=400))
def test_fold_property_every_line_short_and_whole(text):
    data = ics.fold("DESCRIPTION:" + text)
    assert parsers.check_lines(data) == []
    assert unfold(data) == ["DESCRIPTION:" + text]


def folds_inside_an_escape(data: bytes) -> list[str]:
    """Folds that cut right after an escaping backslash (`...\\` CRLF ` n...`): legal, but
    Outlook and Google are reported to misread them."""
    lines = data.split(b"\r\n")
    return [f"line {n}: {a[-12:]!r} / {b[:8]!r}" for n, (a, b) in enumerate(zip(lines, lines[1:]), 1)
            if b.startswith(b" ") and (len(a) - len(a.rstrip(b"\\"))) % 2]


def test_fold_moves_the_cut_before_an_escape():
    line = "DESCRIPTION:" + "x" * 62 + "\\n" + "y" * 20  # the \ is octet 75, its n octet 76
    data = ics.fold(line)
    assert folds_inside_an_escape(data) == []
    assert data.split(b"\r\n")[0] == b"DESCRIPTION:" + b"x" * 62  # 74 octets
    assert unfold(data) == [line]
    # an escaped backslash (two backslashes) ending at octet 75 is a whole escape: the cut stays there
    line = "DESCRIPTION:" + "x" * 61 + "\\\\" + "y" * 20
    assert ics.fold(line).split(b"\r\n")[0] == (line[:75]).encode()


def test_bundled_som29_files_never_fold_inside_an_escape(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1693569600")
    result = runner("invite", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    paths = sorted((tmp_path / "out").rglob("*.ics"))
    with_address = len(som29.MEMBERS) - len(som29.WITHOUT_EMAIL)  # none in the bundled directory
    assert len(paths) == 1 + len(som29.SEGMENTS) * (1 + with_address)  # feed, each segment, each member's
    assert {p.name: folds_inside_an_escape(p.read_bytes()) for p in paths} == {p.name: [] for p in paths}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("\\,;\nabé环"), max_size=300),
       st.integers(min_value=0, max_value=80))
def test_fold_property_never_inside_an_escape(text, pad):
    line = "DESCRIPTION:" + "x" * pad + ics.escape_text(text)
    data = ics.fold(line)
    assert folds_inside_an_escape(data) == []
    assert parsers.check_lines(data) == []
    assert unfold(data) == [line]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_escaped_text_round_trips_through_icalendar(text):
    data = ics.fold("SUMMARY:" + ics.escape_text(text)) + b"DTSTART:20230926T130000Z\r\n"
    event = icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + data + b"END:VEVENT\r\n")
    # line breaks become \n, tabs spaces, other control characters are dropped
    expected = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    assert str(event["SUMMARY"]) == expected


def test_segment_uid_is_the_ids_only():
    assert segment_uid("emg-som29", "technical") == "technical.emg-som29@som"
    assert segment_uid("emg-som29", "technical") != segment_uid("emg-som30", "technical")


def test_offsets_and_stamps():
    assert ics.offset_text(dt.timedelta(hours=5, minutes=45)) == "+0545"
    assert ics.offset_text(dt.timedelta(hours=-2, minutes=-30)) == "-0230"
    assert ics.offset_text(dt.timedelta(hours=0, seconds=-1)) == "-000001"
    when = dt.datetime(2023, 9, 26, 15, tzinfo=ZoneInfo("Europe/Zurich"))
    assert ics.utc_stamp(when) == "20230926T130000Z"  # CEST is UTC+2 (hand-checked)
    assert ics.local_stamp(when) == "20230926T150000"


# --- VTIMEZONE -----------------------------------------------------------------------------

def instants(zone: str, *locals_: str) -> frozenset:
    """Instants of wall times in a zone, from GNU date (not from zoneinfo)."""
    return frozenset(oracle.utc_of_local(t, zone) for t in locals_)


def test_zurich_gets_one_rrule_pair_with_onsets_at_the_old_offset():
    plan = ics.plan_zone(ZoneInfo("Europe/Zurich"), instants("Europe/Zurich", "2023-09-26 15:00"))
    text = b"".join(plan.definition.lines()).decode()
    # EU rules, by hand: summer time from the last Sunday of March 02:00 CET, back on the
    # last Sunday of October 03:00 CEST. The year before the event is the first onset.
    assert "BEGIN:STANDARD\r\nDTSTART:20221030T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n" \
           "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD" in text
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20220327T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n" \
           "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT" in text
    assert "RDATE" not in text


def test_new_york_rules_are_second_sunday_of_march_and_first_of_november():
    plan = ics.plan_zone(ZoneInfo("America/New_York"), instants("America/New_York", "2024-03-12 10:00"))
    text = b"".join(plan.definition.lines()).decode()
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU" in text


def test_santiago_rules_keep_the_midnight_onsets_and_southern_order():
    plan = ics.plan_zone(ZoneInfo("America/Santiago"), instants("America/Santiago", "2024-01-15 10:00"))
    assert len(plan.definition.observances) == 2
    text = b"".join(plan.definition.lines()).decode()
    # Chile since 2023 (tzdata): DST ends the first Sunday of April at 00:00 (-03, clocks back to
    # Saturday 23:00) and starts the first Sunday of September at 00:00 (-04, on to 01:00).
    assert "DTSTART:20230402T000000\r\nRRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\r\nTZOFFSETFROM:-0300\r\nTZOFFSETTO:-0400" in text
    assert "DTSTART:20230903T000000\r\nRRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=1SU\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0300" in text


def test_santiago_over_a_september_that_is_not_nth_sunday_keeps_its_offset_fixed_or_utc():
    # Chile changes on the first Sunday on or after 2 September: 3 Sep 2023 (1st Sunday) but
    # 8 Sep 2024 (2nd), not one nth-weekday rule. Events in January and October 2024 are
    # both on -03 (summer time), so one fixed observance places them; July (-04) goes in UTC.
    times = instants("America/Santiago", "2024-01-15 10:00", "2024-10-15 10:00")
    july = instants("America/Santiago", "2024-07-15 10:00")
    plan = ics.plan_zone(ZoneInfo("America/Santiago"), times | july)
    assert len(plan.definition.observances) == 1
    assert plan.definition.observances[0].offset_to == dt.timedelta(hours=-3)
    assert plan.placed == times
    assert plan.stamp("DTSTART", min(july)) == b"DTSTART:20240715T140000Z\r\n"  # 10:00 -04 (hand-checked)


def test_kathmandu_is_one_fixed_observance():
    plan = ics.plan_zone(ZoneInfo("Asia/Kathmandu"), instants("Asia/Kathmandu", "2024-03-10 09:00"))
    text = b"".join(plan.definition.lines()).decode()
    assert text.count("BEGIN:STANDARD") == 1 and "DAYLIGHT" not in text and "RRULE" not in text
    assert "TZOFFSETFROM:+0545\r\nTZOFFSETTO:+0545" in text


def test_utc_and_fixed_zero_offsets_are_written_as_utc():
    assert ics.plan_zone(ZoneInfo("UTC"), instants("UTC", "2024-01-01 10:00")).definition is None
    plan = ics.plan_zone(ZoneInfo("Africa/Abidjan"), instants("Africa/Abidjan", "2024-01-01 10:00"))
    assert plan.definition is None
    assert plan.stamp("DTSTART", min(instants("Africa/Abidjan", "2024-01-01 10:00"))) == b"DTSTART:20240101T100000Z\r\n"


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Dublin", "Europe/Lisbon", "Atlantic/Faroe",
                                  "Atlantic/Canary"])
def test_a_zone_whose_standard_time_is_utc_writes_its_events_in_utc(zone):
    """vobject takes their VTIMEZONE for UTC and, once the TZID is renamed, gives no time at all
    (test_invite_interop's london and dublin scenarios); UTC is read right everywhere."""
    wanted = instants(zone, "2023-12-05 14:00", "2024-06-11 14:00", "2024-10-27 10:00")
    plan = ics.plan_zone(ZoneInfo(zone), wanted)
    assert plan.definition is None
    summer = oracle.utc_of_local("2024-06-11 14:00", zone)
    assert plan.stamp("DTSTART", summer) == f"DTSTART:{summer:%Y%m%dT%H%M%S}Z\r\n".encode()
    # the rules themselves would place every instant: it is the reader, not the rules
    yearly = ics._yearly_definition(ZoneInfo(zone), range(2022, 2025), max(wanted))
    assert all(yearly.places(i) for i in wanted)


def test_a_zone_whose_rules_changed_writes_what_it_cannot_place_in_utc():
    # Mexico City dropped DST in October 2022: June 2022 was CDT (-5), June 2023 CST (-6).
    zone = ZoneInfo("America/Mexico_City")
    june_2022, june_2023 = (oracle.utc_of_local(t, "America/Mexico_City") for t in ("2022-06-01 10:00", "2023-06-01 10:00"))
    plan = ics.plan_zone(zone, frozenset({june_2022, june_2023}))
    assert len(plan.placed) == 1
    stamps = {plan.stamp("DTSTART", june_2022), plan.stamp("DTSTART", june_2023)}
    assert sum(s.endswith(b"Z\r\n") for s in stamps) == 1


def test_more_than_two_changes_a_year_falls_back_too():
    # Morocco leaves +01 for +00 during Ramadan: four changes a year, not one RRULE pair.
    times = instants("Africa/Casablanca", "2024-03-20 10:00", "2024-05-20 10:00")
    plan = ics.plan_zone(ZoneInfo("Africa/Casablanca"), times)
    assert plan.definition is not None and len(plan.definition.observances) == 1
    assert 0 < len(plan.placed) < len(times)


ZONES_AND_TIMES = [
    ("Europe/Zurich", ["2023-01-10 09:00", "2023-03-26 01:30", "2023-03-26 03:30", "2023-09-26 15:00",
                       "2023-10-29 03:30", "2024-12-31 23:30"]),
    ("America/New_York", ["2023-03-12 01:30", "2023-03-12 03:30", "2023-11-05 02:30", "2024-03-12 10:00"]),
    ("America/St_Johns", ["2023-10-31 10:00", "2023-11-05 00:30", "2024-03-10 03:00", "2024-03-12 10:00"]),
    ("America/Santiago", ["2024-01-15 10:00", "2024-04-06 22:30", "2024-07-15 10:00"]),
    ("Australia/Sydney", ["2023-12-31 23:00", "2024-04-07 03:30", "2024-06-01 10:00", "2024-10-06 03:00"]),
    ("Pacific/Chatham", ["2023-09-24 04:00", "2023-09-26 15:00", "2024-01-15 10:00", "2024-04-07 02:00"]),
    ("Asia/Kathmandu", ["2024-03-10 09:00", "2025-01-06 10:00"]),
    ("Pacific/Auckland", ["2023-09-24 03:30", "2024-04-07 01:00"]),
    # −01:00 in winter, +00:00 in summer: a +00:00 DAYLIGHT is read right everywhere
    ("Atlantic/Azores", ["2023-10-28 23:30", "2023-10-29 01:30", "2024-03-30 23:30", "2024-03-31 01:30",
                         "2024-07-16 10:00"]),
    ("Australia/Lord_Howe", ["2023-10-01 02:45", "2024-04-07 03:00"]),
]


@pytest.mark.parametrize("zone,times", ZONES_AND_TIMES, ids=[z for z, _ in ZONES_AND_TIMES])
def test_written_rules_place_every_instant_as_gnu_date_does(zone, times):
    """Evaluates the VTIMEZONE with its own rules (ZoneDefinition.offset_at) against GNU date,
    on ordinary days and on the days the clocks change."""
    wanted = instants(zone, *times)
    plan = ics.plan_zone(ZoneInfo(zone), wanted)
    assert plan.placed == wanted
    for instant in wanted:
        wall, _, minutes = oracle.local_of_utc(instant, zone)
        assert plan.definition.offset_at(instant) == dt.timedelta(minutes=minutes)


def event(start: dt.datetime, end: dt.datetime, **fields) -> ics.Event:
    values = dict(uid="s.m@som", sequence=0, dtstamp=dt.datetime(2023, 9, 1, 12, tzinfo=UTC), start=start, end=end,
                  summary="Réunion, «spéciale»; back\\slash\nnew line — 会议", description="d", status="confirmed",
                  organizer=ORGANIZER)
    values.update(fields)
    return ics.Event(**values)


def test_calendar_bytes_have_method_at_calendar_level_and_name_only_when_asked():
    zone = ZoneInfo("Europe/Zurich")
    start = dt.datetime(2023, 9, 26, 15, tzinfo=zone)
    single = ics.calendar_bytes("PUBLISH", [event(start, start + dt.timedelta(hours=2))], zone)
    feed = ics.calendar_bytes("PUBLISH", [event(start, start + dt.timedelta(hours=2))], zone, name="SOM29")
    assert not [line for line in unfold(single) if line.startswith(("X-WR-CALNAME", "NAME"))]
    assert b"X-WR-CALNAME:SOM29\r\nNAME:SOM29\r\n" in feed
    for data in (single, feed):
        lines = unfold(data)
        assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ics.PRODID}", "CALSCALE:GREGORIAN",
                             "METHOD:PUBLISH"]
        vevent = lines[lines.index("BEGIN:VEVENT"):]
        assert not any(line.startswith("METHOD") for line in vevent)
        assert parsers.check_lines(data) == []


def test_no_datetime_is_floating_and_every_tzid_has_its_vtimezone():
    zone = ZoneInfo("America/St_Johns")
    start = dt.datetime(2024, 3, 12, 10, tzinfo=zone)
    data = ics.calendar_bytes("PUBLISH", [event(start, start + dt.timedelta(minutes=90))], zone)
    lines = unfold(data)
    for line in lines[lines.index("BEGIN:VEVENT"):]:
        if line.startswith(("DTSTART", "DTEND")):
            assert "TZID=America/St_Johns" in line or line.endswith("Z"), line
    assert "TZID:America/St_Johns" in unfold(data)


def test_alarm_rings_before_the_start_and_not_in_cancellations():
    zone = ZoneInfo("Europe/Zurich")
    start = dt.datetime(2023, 9, 26, 15, tzinfo=zone)
    ev = event(start, start + dt.timedelta(hours=2), alarm_minutes=30)
    zones = ics.plan_zone(zone, ev.instants)
    published = ics.event_bytes(ev, zones, "PUBLISH").decode()
    assert "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:" in published and "TRIGGER:-PT30M\r\n" in published
    cancelled = ics.event_bytes(ev, zones, "CANCEL").decode()
    assert "VALARM" not in cancelled
    assert "VALARM" not in ics.event_bytes(event(start, start + dt.timedelta(hours=1), alarm_minutes=None),
                                           zones, "PUBLISH").decode()


def test_online_link_goes_to_location_conference_and_teams_property():
    zone = ZoneInfo("Europe/Zurich")
    start = dt.datetime(2023, 9, 26, 15, tzinfo=zone)
    url = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0"
    ev = event(start, start + dt.timedelta(hours=2), location=f"MS Teams: {url}", url=url, online_url=url)
    lines = unfold(ics.event_bytes(ev, ics.plan_zone(zone, ev.instants), "PUBLISH"))
    assert f"LOCATION:MS Teams: {url}" in lines
    assert f"CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join online:{url}" in lines
    assert f"X-MICROSOFT-SKYPETEAMSMEETINGURL:{url}" in lines
    assert f"URL:{url}" in lines


def test_attendee_lines_ask_for_an_answer_only_in_a_request():
    assert ics.attendee_line("UNEP", "focal@example.org", "REQUEST") == (
        b"ATTENDEE;CN=UNEP;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailt\r\n o:focal@example.org\r\n")
    assert ics.attendee_line("Smith, Ann", "a@example.org", "CANCEL") == (
        b'ATTENDEE;CN="Smith, Ann";ROLE=REQ-PARTICIPANT:mailto:a@example.org\r\n')


# --- clock-change nights: a wall time that happens twice is never written with its TZID ----------

NIGHT_ZONES = ["Europe/Zurich", "America/New_York", "Australia/Sydney", "Pacific/Chatham", "America/St_Johns",
               "Australia/Lord_Howe", "America/Santiago"]


@given(zone=st.sampled_from(NIGHT_ZONES), year=st.integers(2024, 2026), which=st.integers(0, 1),
       shift=st.integers(-12, 12), length=st.integers(1, 16))
def test_an_event_near_a_clock_change_is_written_in_one_form_and_never_ambiguously(zone, year, which, shift, length):
    """Events starting up to 3 h either side of a change, 15 min to 4 h long: start and end are
    both written with the TZID or both in UTC, and a TZID is written only for wall times that
    GNU date shows for exactly one instant (an hour or half an hour either side shows another)."""
    changes = ics.zone_transitions(zone, year)
    transition = changes[which % len(changes)]
    start = transition.at + dt.timedelta(minutes=15 * shift)
    end = start + dt.timedelta(minutes=15 * length)
    plan = ics.plan_zone(ZoneInfo(zone), frozenset({start, end}))
    lines = plan.stamps(start, end).decode().split("\r\n")[:2]
    forms = {"TZID" if ";TZID=" in line else "Z" for line in lines}
    assert len(forms) == 1, lines
    if forms == {"TZID"}:
        probes = [(i + dt.timedelta(minutes=m), zone) for i in (start, end) for m in (0, -60, -30, 30, 60)]
        shown = oracle.local_of_utc_many(probes)
        for k in range(2):
            wall = shown[5 * k][0]
            assert all(other[0] != wall for other in shown[5 * k + 1:5 * k + 5]), (zone, lines)
            assert lines[k].endswith(f"{wall:%Y%m%dT%H%M%S}")
