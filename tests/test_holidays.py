"""Duty-station holiday calendars (calendars/holidays/*.toml, issue #13): the bundled dates
against a table worked out by hand from the sources, every date's source, the loader's checks,
member directories naming and overriding calendars, and what check, suggest, the checklist,
`som members` and `som holidays` make of them.

The expected dates below are not read from som: they were worked out by hand from the sources
each file names (and, for projected years, from the rule each date's source states).
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.model.errors import SomError
from agenda.plan.check import check_meeting
from agenda.read.load import bundled_calendars, load_directory, load_meeting

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "calendars" / "holidays"
D = date

# --- the hand-worked table ---------------------------------------------------------------------
# Non-floating (official) dates, by calendar and year.
HAND = {
    # UN Headquarters, circular for 2024 (dates as published; issue #13 quotes them too).
    ("un-new-york", 2024): {D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 10), D(2024, 5, 27), D(2024, 6, 17),
                            D(2024, 7, 4), D(2024, 9, 2), D(2024, 11, 28), D(2024, 12, 25)},
    # Projected by the file's rules: 1 Jan Sun -> Mon 2 Jan; Good Friday 7 Apr; Eid al-Fitr Fri 21 Apr;
    # Memorial Day 29 May; Eid al-Adha Wed 28 Jun; 4 Jul Tue; Labour Day 4 Sep; Thanksgiving 23 Nov; 25 Dec Mon.
    ("un-new-york", 2023): {D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 21), D(2023, 5, 29), D(2023, 6, 28),
                            D(2023, 7, 4), D(2023, 9, 4), D(2023, 11, 23), D(2023, 12, 25)},
    # 1 Jan Wed; Eid al-Fitr Sun 30 Mar -> Mon 31 Mar; Good Friday 18 Apr; Memorial Day 26 May;
    # Eid al-Adha Fri 6 Jun; 4 Jul Fri; Labour Day 1 Sep; Thanksgiving 27 Nov; 25 Dec Thu.
    ("un-new-york", 2025): {D(2025, 1, 1), D(2025, 3, 31), D(2025, 4, 18), D(2025, 5, 26), D(2025, 6, 6),
                            D(2025, 7, 4), D(2025, 9, 1), D(2025, 11, 27), D(2025, 12, 25)},
    # 1 Jan Thu; Eid al-Fitr Fri 20 Mar; Good Friday 3 Apr; Memorial Day 25 May; Eid al-Adha Wed 27 May;
    # 4 Jul Sat -> Fri 3 Jul; Labour Day 7 Sep; Thanksgiving 26 Nov; 25 Dec Fri.
    ("un-new-york", 2026): {D(2026, 1, 1), D(2026, 3, 20), D(2026, 4, 3), D(2026, 5, 25), D(2026, 5, 27),
                            D(2026, 7, 3), D(2026, 9, 7), D(2026, 11, 26), D(2026, 12, 25)},
    # UNIS Vienna's 2023 list, as published.
    ("un-vienna", 2023): {D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 4, 24), D(2023, 5, 1),
                          D(2023, 6, 29), D(2023, 10, 26), D(2023, 12, 25), D(2023, 12, 26)},
    # UNOG projected, the usual pattern: 1 Jan, Good Friday 29 Mar, Easter Monday 1 Apr, Eid al-Fitr
    # 10 Apr, Ascension 9 May, Whit Monday 20 May (Easter 31 Mar + 50), Eid al-Adha Sun 16 -> Mon 17 Jun,
    # Jeûne genevois Thu 5 Sep (the first Sunday of September is the 1st), 25 Dec.
    ("un-geneva", 2024): {D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 4, 10), D(2024, 5, 9),
                          D(2024, 5, 20), D(2024, 6, 17), D(2024, 9, 5), D(2024, 12, 25)},
    # UNOG projected with the change the Staff Union reports as announced "for 2025" (see the file's
    # notes): 26 and 27 December in place of Whit Monday and the Jeûne genevois. 1 Jan; Eid al-Fitr
    # Sun 30 Mar -> Mon 31 Mar; Good Friday 18 Apr; Easter Monday 21 Apr; Ascension 29 May; Eid al-Adha
    # Fri 6 Jun; 25, 26 and 27 Dec (the 27th is a Saturday: listed as announced).
    ("un-geneva", 2025): {D(2025, 1, 1), D(2025, 3, 31), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 29),
                          D(2025, 6, 6), D(2025, 12, 25), D(2025, 12, 26), D(2025, 12, 27)},
    # UNON projected: Madaraka Sat 1 Jun -> Mon 3 Jun; Mashujaa Sun 20 Oct -> Mon 21 Oct; no Utamaduni Day.
    ("un-nairobi", 2024): {D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 4, 10), D(2024, 5, 1),
                           D(2024, 6, 3), D(2024, 6, 17), D(2024, 10, 21), D(2024, 12, 12), D(2024, 12, 25)},
}
REQUIRED = {"un-new-york", "un-geneva", "un-nairobi", "un-vienna", "un-bangkok", "un-santiago", "un-rome"}
NEW_YORK_UN = ["desa", "ocha", "un-women", "undp", "unfpa", "unicef"]


def raw(name: str) -> dict:
    return tomllib.loads((FOLDER / f"{name}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name, year", sorted(HAND))
def test_bundled_dates_match_the_hand_worked_table(name, year):
    official = {h["date"] for h in raw(name)["holiday"] if h["date"].year == year and not h.get("floating")}
    assert official == HAND[(name, year)]


def test_published_years_are_not_marked_projected_and_the_others_are():
    for name, year in [("un-new-york", 2024), ("un-vienna", 2023)]:
        assert not any(h.get("projected") for h in raw(name)["holiday"]
                       if h["date"].year == year and not h.get("floating"))
    assert all(h.get("projected") for h in raw("un-new-york")["holiday"] if h["date"].year == 2025)


def test_every_date_in_every_calendar_file_has_a_source():
    files = sorted(FOLDER.glob("*.toml"))
    assert {f.stem for f in files} >= REQUIRED
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["name"] == path.stem and data["notes"].strip(), path.name
        assert {h["date"].year for h in data["holiday"]} >= {2023, 2024, 2025, 2026}, path.name
        for h in data["holiday"]:
            assert isinstance(h["source"], str) and h["source"].strip(), (path.name, h)
            if h.get("projected"):
                assert h["source"].startswith("projected: "), (path.name, h)  # says the rule


def test_floating_holidays_are_listed_as_such():
    floating = {h["name"] for h in raw("un-new-york")["holiday"] if h.get("floating") and h["date"].year == 2024}
    assert {"Yom Kippur", "Diwali", "Orthodox Christmas", "Lunar New Year"} <= floating


def test_the_bundled_directory_names_calendars_at_covered_duty_stations():
    directory = load_directory()
    by_id = {m.id: (m.calendar.name if m.calendar else None) for m in directory.members}
    assert all(by_id[i] == "un-new-york" for i in NEW_YORK_UN)
    assert by_id["unep"] == by_id["un-habitat"] == "un-nairobi"
    assert by_id["fao"] == by_id["wfp"] == by_id["ifad"] == "un-rome"
    assert by_id["unido"] == by_id["iaea"] == by_id["unodc"] == "un-vienna"
    assert (by_id["escap"], by_id["eclac"], by_id["unctad"]) == ("un-bangkok", "un-santiago", "un-geneva")
    assert by_id["who"] is None and by_id["world-bank"] is None  # their own lists / elsewhere: national
    assert set(bundled_calendars()) >= REQUIRED


# --- check, suggest, checklist ---------------------------------------------------------------------

def meeting_on(tmp_path, day: str, members: str = "un-entities", zone: str = "Europe/Zurich",
               time: str = "15:00-17:00"):
    path = tmp_path / "m.toml"
    path.write_text(f'[meeting]\nid = "m"\ntitle = "M"\ntimezone = "{zone}"\nmembers = "{members}"\n\n'
                    f'[[segment]]\nid = "s"\ntitle = "Senior segment"\ndate = {day}\ntime = "{time}"\n',
                    encoding="utf-8")
    return load_meeting(path)


def holiday_findings(meeting):
    return [f for f in check_meeting(meeting, today=date(2024, 1, 1), tasks=()).findings if f.code == "holiday"]


def test_17_june_2024_flags_every_new_york_un_entity_naming_the_calendar_and_source(tmp_path):
    found = [f for f in holiday_findings(meeting_on(tmp_path, "2024-06-17"))
             if "UN Headquarters New York" in f.message]
    assert len(found) == 1 and found[0].severity == "warning"
    assert sorted(m.id for m in found[0].members) == NEW_YORK_UN
    assert found[0].message.startswith("Mon 17 Jun 2024 is Eid al-Adha, an official holiday at UN Headquarters "
                                       "New York, where UNDP")
    assert found[0].message.endswith(" — source: Official holidays for 2024 at UN Headquarters (information "
                                     "circular, ST/IC/2023 series), as quoted by Global Times, 2024")


def test_11_november_2024_flags_no_new_york_un_entity(tmp_path):
    found = holiday_findings(meeting_on(tmp_path, "2024-11-11"))
    flagged = {m.id for f in found for m in f.members}
    assert not flagged & set(NEW_YORK_UN)
    assert {"world-bank", "imf", "gef"} <= flagged  # Veterans Day in Washington: national calendar
    assert any("Veterans Day, a public holiday in Washington (US-DC)" in f.message for f in found)


def test_a_floating_holiday_is_info_not_a_warning(tmp_path):
    found = [f for f in holiday_findings(meeting_on(tmp_path, "2024-10-31"))
             if "UN Headquarters New York" in f.message]
    assert len(found) == 1 and found[0].severity == "info"
    assert "Diwali, a floating holiday at UN Headquarters New York: staff of UNDP" in found[0].message
    assert " — source: projected: the `holidays` package's date for India" in found[0].message


def test_a_projected_date_says_so_in_the_finding(tmp_path):
    found = [f for f in holiday_findings(meeting_on(tmp_path, "2025-05-26")) if "New York" in f.message]
    assert len(found) == 1
    assert found[0].message.startswith("Mon 26 May 2025 is Memorial Day, an official holiday at UN Headquarters "
                                       "New York, where ")
    assert found[0].message.endswith(" — source: projected: last Monday of May")


def test_suggest_counts_a_new_york_holiday_against_the_slot(runner):
    # Memorial Day, Mon 27 May 2024: not a UN floating day, so the day is proposed, but UNDP is out.
    result = runner("suggest", "--between", "2024-05-27..2024-05-27", "--members", "UNDP,UNEP",
                    "--duration", "1h", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["slots"][0]["inside"] == 1
    assert doc["slots"][0]["holidays"] == [{"member": "undp", "date": "2024-05-27",
                                            "name": "Memorial Day (UN Headquarters New York)"}]
    result = runner("suggest", "--between", "2025-05-26..2025-05-26", "--members", "UNDP",
                    "--duration", "1h", "--format", "json")
    assert json.loads(result.stdout)["slots"][0]["holidays"][0]["name"] == \
        "Memorial Day (UN Headquarters New York, projected)"
    result = runner("suggest", "--between", "2024-11-11..2024-11-11", "--members", "UNDP,UNICEF",
                    "--duration", "1h", "--format", "json")
    assert json.loads(result.stdout)["slots"][0]["holidays"] == []  # Veterans Day is no UN holiday


def test_the_checklist_moves_off_the_home_city_s_un_calendar(tmp_path):
    from agenda.plan.checklist import build_checklist

    # A meeting at home in Nairobi on Mon 24 Jun 2024: "test the online platform" is due T-7 days,
    # Mon 17 Jun, Eid al-Adha at UN Nairobi (projected), and moves to Fri 14 Jun.
    meeting = meeting_on(tmp_path, "2024-06-24", zone="Africa/Nairobi", time="10:00-12:00")
    checklist = build_checklist(meeting)
    assert checklist.calendar.name == "un-nairobi"
    task = next(t for t in checklist.tasks if t.id == "s.test-platform")
    assert (task.due, task.moved_from) == (date(2024, 6, 14), date(2024, 6, 17))
    assert task.moved_reason == "Eid al-Adha, an official holiday at UN Nairobi (UNON) (projected)"


def _band_labels(meeting) -> dict[str, list[str]]:
    """The small label lines of each band (the members' acronyms, then what sets the band apart
    and its holidays), by the members' ids, read from the SVG the page and schedule.svg draw."""
    import xml.etree.ElementTree as ET

    from agenda.render import bands

    segment = meeting.segments[0]
    rows = bands.cities(meeting.members, meeting.zone, meeting.city, segment.start)
    span = bands.Span("b", segment.title, segment.start, segment.end)
    svg = ET.fromstring(bands.bands_svg([(span, rows)], home_city=meeting.city, title="t", standalone=True))
    ns = "{http://www.w3.org/2000/svg}"
    bands_drawn: list[list[str]] = []
    for t in svg.iter(f"{ns}text"):
        if t.get("x") == "4" and t.get("font-size") == "11" and t.find(f"{ns}tspan") is not None:
            bands_drawn.append([])
        elif t.get("x") == "4" and t.get("font-size") == "8" and bands_drawn:
            bands_drawn[-1].append("".join(t.itertext()))
    out = {}
    for lines in bands_drawn:
        acronyms = {a.strip() for line in lines for a in line.split(",")}
        out.update({m.id: lines for m in meeting.members if m.acronym in acronyms})
    return out


def test_the_page_and_the_bands_mark_the_duty_station_holidays(tmp_path):
    from agenda.render.page import holiday_marks

    # Mon 17 Jun 2024, Eid al-Adha at UN Headquarters New York; Mon 11 Nov 2024, Veterans Day in
    # the US, which UN Headquarters does not keep (the World Bank in Washington does).
    eid = meeting_on(tmp_path, "2024-06-17")
    by_id = {m.id: m for m in eid.members}
    assert holiday_marks(by_id["undp"], eid.segments[0]) == ["Eid al-Adha (UN Headquarters New York) (Mon 17 Jun)"]
    assert "holiday: Eid al-Adha" in _band_labels(eid)["undp"]
    veterans = meeting_on(tmp_path, "2024-11-11")
    by_id = {m.id: m for m in veterans.members}
    assert holiday_marks(by_id["undp"], veterans.segments[0]) == []
    assert holiday_marks(by_id["world-bank"], veterans.segments[0]) == ["Veterans Day (Mon 11 Nov)"]
    labels = _band_labels(veterans)
    assert "holiday: Veterans Day" in labels["world-bank"]
    assert not [line for line in labels["undp"] if line.startswith("holiday")]


# --- directories: name, add, override ------------------------------------------------------------

def test_a_directory_overrides_and_adds_calendars(tmp_path):
    (tmp_path / "ny.toml").write_text(
        'name = "x"\ntitle = "Our New York list"\n[[holiday]]\ndate = 2024-06-18\nname = "Our day"\n'
        'source = "ST/IC/2099/1"\n', encoding="utf-8")
    (tmp_path / "members.toml").write_text(
        'extends = "un-entities"\n\n[[calendar]]\nname = "un-new-york"\nfile = "ny.toml"\n\n'
        '[[calendar]]\nname = "gigiri"\ntitle = "Gigiri compound"\n[[calendar.holiday]]\ndate = 2024-06-18\n'
        'name = "Compound day"\nsource = "Facilities circular, 1 May 2024"\n\n'
        '[[member]]\nid = "unep"\nholidays = "gigiri"\n\n[[member]]\nid = "who"\nholidays = "un-geneva"\n',
        encoding="utf-8")
    directory = load_directory(tmp_path / "members.toml")
    by_id = {m.id: m for m in directory.members}
    assert by_id["undp"].calendar.title == "Our New York list"  # inherited members follow the override
    assert by_id["unep"].calendar.name == "gigiri" and by_id["who"].calendar.name == "un-geneva"
    found = holiday_findings(meeting_on(tmp_path, "2024-06-18", members="members.toml"))
    texts = " | ".join(f.message for f in found)
    assert "Our day, an official holiday at Our New York list, where UNDP" in texts
    assert "or move Senior segment — source: ST/IC/2099/1" in texts
    assert "Compound day, an official holiday at Gigiri compound, where UNEP is headquartered: expect them to be " \
           "absent, or move Senior segment — source: Facilities circular, 1 May 2024" in texts


@pytest.mark.parametrize("text, line, words", [
    ('[[member]]\nid = "unep"\nholidays = "un-new-yrok"\n', 4, "no holiday calendar `un-new-yrok`"),
    ('[[calendar]]\nname = "c"\n[[calendar.holiday]]\ndate = 2024-01-01\nname = "Day"\n', 4, "has no source"),
    ('[[calendar]]\nname = "c"\n[[calendar.holiday]]\ndate = "2024-01-01"\nname = "D"\nsource = "s"\n', 5,
     "must be a date"),
    ('[[calendar]]\nname = "c"\n[[calendar.holiday]]\ndate = 2024-01-01\nname = "D"\nsource = "s"\n'
     'floating = "yes"\n', 8, "`floating`"),
    ('[[calendar]]\nname = "c"\nfile = "missing.toml"\n', 4, "no such file"),
    ('[[calendar]]\nname = "c"\n', 2, "has no [[holiday]] dates"),
])
def test_bad_calendars_are_one_line_with_file_and_line(runner, tmp_path, text, line, words):
    (tmp_path / "members.toml").write_text('extends = "un-entities"\n' + text, encoding="utf-8")
    result = runner("members", str(tmp_path / "members.toml"))
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert f"members.toml:{line}:" in result.stderr and words in result.stderr, result.stderr


# --- som members, som holidays ----------------------------------------------------------------------

def test_members_shows_each_calendar_or_the_national_one(runner):
    doc = json.loads(runner("members", "--format", "json").stdout)
    by_id = {m["id"]: m["holidays"] for m in doc["members"]}
    assert by_id["undp"] == "un-new-york" and by_id["who"] == "national: CH-GE" and by_id["unu"] == "national: JP"


def test_holidays_lists_a_calendar_for_a_year(runner):
    result = runner("holidays", "2024", "--calendar", "un-new-york", "--format", "json")
    doc = json.loads(result.stdout)
    official = [h["date"] for h in doc["holidays"] if h["kind"] == "official"]
    assert official == sorted(d.isoformat() for d in HAND[("un-new-york", 2024)])
    assert all(h["source"] for h in doc["holidays"])
    table = runner("holidays", "2024", "--calendar", "un-new-york").stdout
    assert "UN Headquarters New York (un-new-york), 2024: 9 official holidays" in table


def test_holidays_for_a_member_and_for_a_national_one(runner):
    doc = json.loads(runner("holidays", "2025", "--member", "UNICEF", "--format", "json").stdout)
    assert doc["calendar"] == "un-new-york" and doc["member"] == "unicef"
    doc = json.loads(runner("holidays", "2024", "--member", "WHO", "--format", "json").stdout)
    assert doc["calendar"] is None and doc["title"] == "national: CH-GE"
    assert "2024-09-05" in [h["date"] for h in doc["holidays"]]  # Jeûne genevois, from `holidays`
    doc = json.loads(runner("holidays", "2030", "--member", "UNDP", "--format", "json").stdout)
    assert doc["calendar"] is None and "has no dates for 2030" in doc["national_note"]


def test_holidays_ics_is_a_calendar_to_subscribe_to(runner, tmp_path):
    from tests import parsers

    path = tmp_path / "un-vienna-2024.ics"
    assert runner("holidays", "2024", "--calendar", "un-vienna", "--format", "ics", "-o", str(path)).exit_code == 0
    data = path.read_bytes()
    assert parsers.check_lines(data) == []
    assert b"METHOD:" not in data  # a calendar to subscribe to has no organizer, so no PUBLISH
    expected = sorted(h["date"] for h in raw("un-vienna")["holiday"] if h["date"].year == 2024)
    seen = parsers.all_parsers_agree(path)  # ical.js, libical, vobject, ical and icalendar read the same
    events = seen["ical.js"]
    assert sorted(e.start_utc for e in events) == expected  # all-day: the date itself
    assert all(e.end_utc - e.start_utc == timedelta(days=1) for e in events)
    assert len({e.uid for e in events}) == len(events)
    ok, problems = parsers.libical_restriction_check([path])[path]
    assert ok, problems
    import icalendar

    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        assert str(event["TRANSP"]) == "TRANSPARENT" and "Source: " in str(event["DESCRIPTION"])
    again = tmp_path / "again.ics"
    assert runner("holidays", "2024", "--calendar", "un-vienna", "--format", "ics", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == data  # the same bytes every run


def test_holidays_overview_and_errors(runner):
    result = runner("holidays")
    assert result.exit_code == 0 and "un-santiago" in result.stdout and "WHO (CH-GE)" in result.stdout
    for args, words in [(("--calendar", "un-new-yrok"), "did you mean `un-new-york`?"),
                        (("--calendar", "un-geneva", "--member", "WHO"), "--member and --calendar"),
                        (("1999", "--calendar", "un-geneva"), "no dates in 1999"),
                        (("--format", "ics"), "needs one calendar")]:
        result = runner("holidays", *args)
        assert result.exit_code == 2 and words in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


# --- fuzzing: nothing but SomError escapes the calendar loader ----------------------------------

calendar_keys = st.sampled_from(["name", "title", "notes", "date", "source", "projected", "floating", "file",
                                 "holidays", "x"])
calendar_values = st.one_of(st.text(max_size=20), st.integers(-5, 3000), st.booleans(),
                            st.sampled_from(["2024-06-17", '"2024-06-17"', "2024-06-17T10:00:00", "0001-01-01",
                                             "9999-12-31", '"un-new-york"', '"national"', '"../x.toml"',
                                             "[1, 2]", "{a = 1}", '""', '"\\u0007"']))
calendar_tables = st.sampled_from(["[[calendar]]", "[[calendar.holiday]]", "[[member]]", ""])


def _render(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value


HOSTILE = [
    '[[calendar]]\nname = "c"\nfile = "m.toml"\n',  # a directory as its own calendar file
    '[[calendar]]\nname = "un-new-york"\n[[calendar.holiday]]\ndate = 0001-01-01\nname = "x"\nsource = "y"\n',
    '[[calendar]]\nname = "CON"\n[[calendar.holiday]]\ndate = 2024-01-01\nname = "x"\nsource = "y"\n',
    '[[calendar]]\nname = "c"\n[[calendar.holiday]]\ndate = 2024-01-01T00:00:00\nname = "x"\nsource = "y"\n',
    '[[calendar]]\nname = "c"\n[[calendar.holiday]]\ndate = 2024-01-01\nname = "x"\nsource = "y"\n'
    '[[calendar.holiday]]\ndate = 2024-01-01\nname = "X"\nsource = "z"\n',
    '[[calendar]]\nname = "c"\nholiday = 3\n',
    '[[calendar]]\nname = "c"\nfile = "/"\n',
    'calendar = "un-geneva"\n',
    '[[member]]\nid = "unep"\nholidays = ""\n',
    '[[member]]\nid = "unep"\nholidays = 1\n',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_calendars_fail_with_som_errors(tmp_path, text):
    path = tmp_path / "m.toml"
    path.write_text('extends = "un-entities"\n' + text, encoding="utf-8")
    with pytest.raises(SomError) as caught:
        load_directory(path)
    assert str(caught.value)


@pytest.mark.fuzz
@given(st.lists(st.tuples(calendar_tables, calendar_keys, calendar_values), max_size=10))
def test_fuzzed_calendars_fail_only_with_som_errors(tmp_path_factory, parts):
    folder = tmp_path_factory.mktemp("fuzz")
    lines = ['extends = "un-entities"\n']
    for table, key, value in parts:
        lines.append(f"{table}\n{key} = {_render(value)}\n")
    path = folder / "m.toml"
    path.write_text("".join(lines), encoding="utf-8")
    try:
        load_directory(path)
    except SomError as exc:
        assert str(exc)


@pytest.mark.fuzz
@given(st.text(max_size=300))
def test_fuzzed_calendar_files_fail_only_with_som_errors(tmp_path_factory, text):
    from agenda.read.load import load_calendar_file

    path = tmp_path_factory.mktemp("fuzz") / "c.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_calendar_file(path)
    except SomError as exc:
        assert str(exc)
