"""`som check`: every finding code on a scenario whose answer was worked out by hand.

The expected values in each test come from the calendar and the zone rules, written in the
comments, not from running som: e.g. "15:00 CET is 14:00 UTC is 19:30 in Kolkata (UTC+05:30)".
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from agenda.plan.check import check_meeting, deadline_findings, usual_differences
from agenda.cli import som
from agenda.read.load import load_meeting
from agenda.model.meeting import Task
from pathlib import Path
from tests.planfiles import member, write_directory, write_meeting

TODAY = date(2023, 1, 1)


def run(*args):
    result = CliRunner().invoke(som, list(args))
    return result


ROOT = Path(__file__).resolve().parent.parent


def findings(path, code=None, today=TODAY):
    result = check_meeting(load_meeting(path), today=today)
    return [f for f in result.findings if code is None or f.code == code]


def ids(finding):
    return sorted(m.id for m in finding.members)


@pytest.fixture
def world(tmp_path):
    """A directory with one member per interesting zone; each test writes its own meeting."""
    write_directory(tmp_path, [
        member("gva", "Europe/Zurich", "CH", "Geneva", subdivision="GE"),
        member("early", "Europe/Zurich", "CH", "Geneva", subdivision="GE", hours="08:00-16:00"),
        member("nyc", "America/New_York", "US", "New York", subdivision="NY"),
        member("lax", "America/Los_Angeles", "US", "Los Angeles", subdivision="CA"),
        member("nbo", "Africa/Nairobi", "KE", "Nairobi"),
        member("del", "Asia/Kolkata", "IN", "New Delhi"),
        member("ktm", "Asia/Kathmandu", "NP", "Kathmandu"),
        member("tyo", "Asia/Tokyo", "JP", "Tokyo"),
        member("ruh", "Asia/Riyadh", "SA", "Riyadh", workdays=["Sun", "Mon", "Tue", "Wed", "Thu"]),
    ])
    return tmp_path


# --- SOM29 -------------------------------------------------------------------------------

def test_som29_utamaduni_day_is_no_un_holiday_in_nairobi(tmp_path):
    # Kenya made 10 October Utamaduni Day (formerly Moi Day) from 2023; the senior segment is
    # on Tuesday 10 October 2023. The bundled directory's three Nairobi members follow the UN
    # Nairobi calendar (calendars/holidays/un-nairobi.toml), which does not keep it (issue #13):
    # before, this test expected an Utamaduni Day warning for them.
    assert [f for f in findings(None, "holiday") if f.segment == "senior"] == []
    # A directory that puts UNEP back on Kenya's public holidays gets the warning again.
    (tmp_path / "members.toml").write_text('extends = "un-entities"\n[[member]]\nid = "unep"\n'
                                           'holidays = "national"\n', encoding="utf-8")
    meeting = (tmp_path / "som.toml")
    bundled = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
    meeting.write_text(bundled.replace('members = "un-entities"', 'members = "members.toml"'), encoding="utf-8")
    holiday = [f for f in findings(meeting, "holiday") if f.segment == "senior"]
    assert len(holiday) == 1 and holiday[0].severity == "warning"
    assert holiday[0].date == date(2023, 10, 10)
    assert "Utamaduni Day, a public holiday in Nairobi (KE)" in holiday[0].message
    assert ids(holiday[0]) == ["unep"]


def test_som29_has_no_errors_and_exits_0():
    # 15:00-17:00 CEST is 22:00-00:00 in Tokyo, the latest member: late, but not 00:00-06:00.
    # On 1 January 2023 no checklist task is due yet (the first, -98 days, is on 7 February).
    result = run("check", "--today", "2023-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["error"] == 0
    assert {"severity", "code", "segment", "date", "members", "message"} <= set(data["findings"][0])
    # 14:00-15:30 is between UN Geneva's two slots (10-13, 15-18): an info for the senior segment.
    slot = [f for f in data["findings"] if f["code"] == "geneva-slot"]
    assert [(f["segment"], f["severity"]) for f in slot] == [("senior", "info")]
    # Senior segment, 12:00-13:30 UTC: 08:00-09:30 EDT in New York (opens at 09:00), 21:00 in Tokyo.
    late = next(f for f in data["findings"] if f["code"] == "out-of-hours" and f["segment"] == "senior")
    assert {"undp", "unicef", "icao", "unu", "escap"} <= set(late["members"])
    assert "unep" not in late["members"]  # 15:00-16:30 EAT
    assert "08:00–09:30 EDT" in late["message"]


def test_som29_santiago_diverges_in_september():
    # Chile went to summer time (-03) on 3 September 2023; Europe stays on CEST until 29 October.
    # Geneva-Santiago is 6 h in the southern winter, 4 h in the northern one, 5 h now.
    # Santiago is the zone out of step, with Europe (CEST), New York (EDT, -4: 1 h behind
    # instead of the same time in June or 2 h behind in January), Beirut and London: one
    # finding per segment, naming ECLAC, the one member in Santiago, not the 34 others.
    dst = [f for f in findings(None, "dst-divergence") if f.segment == "technical"]
    assert len(dst) == 1
    [santiago] = dst
    assert ids(santiago) == ["eclac"]
    assert "America/Santiago (ECLAC) is 1 h out of step with 4 zones" in santiago.message
    assert "Europe/Zurich (with Europe/Berlin, " in santiago.message
    assert "5 h ahead (usually 4 h ahead or 6 h ahead)" in santiago.message
    assert "America/New_York (with America/Toronto) 1 h behind (usually the same time or 2 h behind)" in santiago.message
    assert "Asia/Beirut 6 h ahead (usually 5 h ahead or 7 h ahead)" in santiago.message
    assert "Europe/London 4 h ahead (usually 3 h ahead or 5 h ahead)" in santiago.message
    # In May both are in their usual season: nothing.
    assert not [f for f in findings(None, "dst-divergence") if f.segment == "midterm"]


# --- holidays -------------------------------------------------------------------------------

def test_public_holiday_on_the_members_local_date(world):
    # Thursday 2 November 2023 17:00-18:00 CET = 16:00-17:00 UTC = 01:00-02:00 on Friday
    # 3 November in Tokyo: Culture Day there, and at night.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2023-11-02", "time": "17:00-18:00 CET"}])
    holiday = [f for f in findings(path, "holiday") if f.members]
    tokyo = [f for f in holiday if "tyo" in ids(f)]
    assert [(ids(f), "Culture Day" in f.message, "3 Nov 2023" in f.message) for f in tokyo] == [(["tyo"], True, True)]
    # 2 November is no public holiday in Geneva, New York or Nairobi.
    assert not [f for f in holiday if {"gva", "nyc", "nbo"} & set(ids(f))]
    night = findings(path, "night")
    assert len(night) == 1 and ids(night[0]) == ["tyo"] and night[0].severity == "error"


def test_thanksgiving_in_new_york(world):
    # Thanksgiving is the fourth Thursday of November: 23 November 2023, in New York and in
    # California alike (14:00 UTC is 09:00 EST and 06:00 PST, the same day). 23 November is
    # also Japan's Labour Thanksgiving Day (Kinrō Kansha no Hi), 23:00 in Tokyo.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2023-11-23", "time": "15:00-16:00 CET"}])
    holiday = {ids(f)[0]: f.message for f in findings(path, "holiday") if f.members}
    assert sorted(holiday) == ["lax", "nyc", "tyo"]
    assert all("Thanksgiving" in message for message in holiday.values())
    assert "Labor" in holiday["tyo"] or "Labour" in holiday["tyo"]


@pytest.mark.parametrize("day, name, source", [
    # Yom Kippur 5784: from sunset on 24 September to nightfall on 25 September 2023.
    ("2023-09-25", "Yom Kippur", "Hebrew calendar"),
    # Orthodox Easter 2024 was 5 May, so Orthodox Good Friday was 3 May.
    ("2024-05-03", "Orthodox Good Friday", "Easter"),
    # Eid al-Fitr 1445 began on Wednesday 10 April 2024.
    ("2024-04-10", "Eid al-Fitr", "Islamic calendar"),
])
def test_days_kept_free_of_meetings_say_where_the_date_comes_from(world, day, name, source):
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": day, "time": "10:00-11:00"}])
    un = [f for f in findings(path, "holiday") if not f.members]
    assert len(un) == 1, [f.message for f in un]
    assert name in un[0].message and source in un[0].message and "69/250" in un[0].message


def test_the_day_after_an_eid_is_flagged_as_possible(world):
    # Eid al-Adha 1445 was expected on Sunday 16 June 2024; where the moon was sighted a day
    # later it fell on Monday 17 June, the day UN Headquarters observed. No member of this
    # directory follows a duty-station calendar, so nothing settles it: the "may be" stays, and
    # it concerns the meeting as a whole, which the Members column says.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-06-17", "time": "10:00-11:00"}])
    un = [f for f in findings(path, "holiday") if not f.members]
    assert len(un) == 1 and "may be Eid al-Adha" in un[0].message
    rows = [row for row in run("check", str(path), "--today", "2023-01-01", "--format", "csv").output.splitlines()
            if "may be Eid al-Adha" in row]
    assert len(rows) == 1 and ",all," in rows[0]


def nesting(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    return deepest


def test_the_day_after_an_eid_that_duty_station_calendars_settle(tmp_path):
    # Mon 17 Jun 2024 with the bundled directory. Every duty-station calendar lists Eid al-Adha
    # on 17 June 2024 (New York's circular; the six projected ones moved it from Sunday 16 June):
    #   FAO headquarters, Rome: FAO, IFAD, WFP          UN Bangkok (ESCAP): ESCAP
    #   UN Geneva: UNHCR, UNITAR, ITC, UNCTAD, UNECE, OHCHR, UNDRR, BRS, Minamata, CITES
    #   UN Headquarters New York: UNDP, UNICEF, UNFPA, UN Women, DESA, OCHA
    #   UN Nairobi (UNON): UNEP, UN-Habitat, Ozone Secretariat
    #   UN Santiago (ECLAC): ECLAC                      UN Vienna (VIC): IAEA, UNIDO, UNODC
    # The members without a calendar are in CA, CH, DE, DK, ES, ET, FR, GB, JP, LB and US: only
    # Lebanon keeps Eid al-Adha on the Monday too (16-17 June); Ethiopia's is Sunday 16 June.
    # So 8 findings, all naming their members; the "may be Eid al-Adha" finding, which the
    # calendars settle, is left out.
    meeting = tmp_path / "m.toml"
    meeting.write_text('[meeting]\nid = "t"\ntitle = "T"\ntimezone = "Europe/Zurich"\nmembers = "un-entities"\n'
                       '[[segment]]\nid = "s"\ntitle = "Segment"\ndate = 2024-06-17\ntime = "15:00-17:00 CEST"\n',
                       encoding="utf-8")
    found = findings(meeting, "holiday")
    assert all(f.members for f in found) and not any("may be" in f.message for f in found)
    by_where = {}
    for f in found:
        assert f.message.startswith("Mon 17 Jun 2024 is Eid al-Adha, ")
        by_where[f.message.split(", ")[1]] = sorted(m.acronym for m in f.members)
    assert by_where == {
        "a public holiday in Beirut (LB)": ["ESCWA"],
        "an official holiday at FAO headquarters": ["FAO", "IFAD", "WFP"],
        "an official holiday at UN Bangkok (ESCAP)": ["ESCAP"],
        "an official holiday at UN Geneva": sorted(["UNHCR", "UNITAR", "ITC", "UNCTAD", "UNECE", "OHCHR", "UNDRR",
                                                     "BRS", "Minamata", "CITES"]),
        "an official holiday at UN Headquarters New York": sorted(["UNDP", "UNICEF", "UNFPA", "UN Women", "DESA",
                                                                   "OCHA"]),
        "an official holiday at UN Nairobi (UNON)": sorted(["UNEP", "UN-Habitat", "Ozone Secretariat"]),
        "an official holiday at UN Santiago (ECLAC)": ["ECLAC"],
        "an official holiday at UN Vienna (VIC)": ["IAEA", "UNIDO", "UNODC"],
    }
    # The source follows a dash, so no parentheses nest inside others.
    new_york = next(f.message for f in found if "New York" in f.message)
    assert new_york == ("Mon 17 Jun 2024 is Eid al-Adha, an official holiday at UN Headquarters New York, where UNDP, "
                        "UNICEF, UNFPA, UN Women, DESA and OCHA are headquartered: expect them to be absent, or move "
                        "Segment — source: Official holidays for 2024 at UN Headquarters (information circular, "
                        "ST/IC/2023 series), as quoted by Global Times, 2024")
    assert all(nesting(f.message) <= 1 for f in found), [f.message for f in found if nesting(f.message) > 1]


def test_an_ordinary_day_has_no_holiday(world):
    # Tuesday 12 March 2024: no public holiday in CH-GE, US-NY, US-CA, KE, IN, NP, JP or SA,
    # and no day kept free of meetings (Ramadan runs, Eid is in April).
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-12", "time": "10:00-11:00"}])
    assert findings(path, "holiday") == []


# --- hours ------------------------------------------------------------------------------

def test_night_is_an_error_and_exits_1(world):
    # Tuesday 5 March 2024 08:00-10:00 CET = 07:00-09:00 UTC: 02:00-04:00 EST in New York and
    # 23:00-01:00 PST in Los Angeles (its last hour is after midnight): both at night. Tokyo
    # 16:00-18:00 and Nairobi 10:00-12:00 are inside hours.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-05", "time": "08:00-10:00 CET"}])
    night = findings(path, "night")
    assert len(night) == 1 and ids(night[0]) == ["lax", "nyc"]
    assert "02:00–04:00 EST" in night[0].message and "23:00–01:00 (+1) PST" in night[0].message
    # A member at night is not also reported as out of hours.
    assert all("nyc" not in ids(f) for f in findings(path, "out-of-hours"))
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["summary"]["error"] == 1


def test_out_of_hours_with_local_times(world):
    # Tuesday 5 March 2024 15:00-17:00 CET = 14:00-16:00 UTC: 19:30-21:30 in New Delhi
    # (UTC+05:30), 19:45-21:45 in Kathmandu (UTC+05:45), 06:00-08:00 PST in Los Angeles
    # (before 09:00, not before 06:00), 17:00-19:00 in Riyadh and Nairobi (past 18:00), and
    # 15:00-17:00 for the Geneva member whose day ends at 16:00. Tokyo: 23:00-01:00, night.
    # Inside: Geneva 15:00-17:00, New York 09:00-11:00 EST.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-05", "time": "15:00-17:00 CET"}])
    [late] = findings(path, "out-of-hours")
    assert ids(late) == ["del", "early", "ktm", "lax", "nbo", "ruh"]
    assert "19:30–21:30 IST" in late.message
    assert "19:45–21:45 UTC+05:45" in late.message
    assert "06:00–08:00 PST" in late.message
    assert "hours 08:00–16:00" in late.message
    [night] = findings(path, "night")
    assert ids(night) == ["tyo"] and "23:00–01:00 (+1) JST" in night.message


def test_weekend_for_a_member_and_for_the_home_zone(world):
    # Friday 8 March 2024 10:00-12:00 CET = 12:00-14:00 in Riyadh, whose week is Sunday-Thursday.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-08", "time": "10:00-12:00 CET"}])
    weekend = findings(path, "weekend")
    assert [ids(f) for f in weekend] == [["ruh"]] and "Friday" in weekend[0].message
    # Saturday 9 March 2024: the home zone's weekend, and every member's (Riyadh's too). New
    # York (04:00-06:00 EST) and Los Angeles (01:00-03:00 PST) are at night, reported as such.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-09", "time": "10:00-12:00 CET"}])
    weekend = findings(path, "weekend")
    assert len(weekend) == 2
    assert weekend[0].members == () and "Saturday" in weekend[0].message
    assert ids(weekend[1]) == ["del", "early", "gva", "ktm", "nbo", "ruh", "tyo"]
    assert ids(findings(path, "night")[0]) == ["lax", "nyc"]


# --- DST divergence ---------------------------------------------------------------------

def test_europe_and_north_america_in_march(world):
    # The US moved to EDT on 10 March 2024, Europe to CEST only on 31 March. On 19 March
    # Geneva (CET, +1) is 5 h ahead of New York (EDT, -4) instead of 6 h.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-19", "time": "15:00-16:00 CET"}])
    # Los Angeles changed on the same day as New York (PDT -7: 8 h behind, not 9 h): Geneva is
    # the zone out of step with both, so one finding, naming Geneva's members.
    [finding] = findings(path, "dst-divergence")
    assert ids(finding) == ["early", "gva"]
    assert "Europe/Zurich (GVA, EARLY) is 1 h out of step with 2 zones" in finding.message
    assert "America/New_York 5 h behind (usually 6 h behind)" in finding.message
    assert "America/Los_Angeles 8 h behind (usually 9 h behind)" in finding.message
    assert "1 h wrong" in finding.message
    # Nairobi and Kolkata keep no summer time: their difference to New York changes twice a
    # year, each value a season long, so it is never unusual.
    assert "Africa/Nairobi" not in finding.message


def test_no_divergence_once_both_have_changed(world):
    # 9 April 2024: CEST (+2) and EDT (-4), the usual 6 h.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-04-09", "time": "15:00-16:00"}])
    assert findings(path, "dst-divergence") == []


def test_southern_hemisphere_in_spring(tmp_path):
    # New Zealand moved to NZDT (+13) on 29 September 2024, Sydney to AEDT (+11) only on
    # 6 October: on Tuesday 1 October 2024 Auckland is 3 h ahead of Sydney, not 2 h.
    write_directory(tmp_path, [member("syd", "Australia/Sydney", "AU", "Sydney", subdivision="NSW"),
                               member("akl", "Pacific/Auckland", "NZ", "Auckland")])
    path = write_meeting(tmp_path, [{"id": "s", "title": "Segment", "date": "2024-10-01", "time": "08:00-09:00"}])
    # Auckland is out of step with Sydney and with Geneva (still CEST, +2: 11 h, usually 10 h
    # or 12 h): one finding for Auckland's member.
    [finding] = findings(path, "dst-divergence")
    assert ids(finding) == ["akl"]
    assert "Pacific/Auckland (AKL) is 1 h out of step with 2 zones" in finding.message
    assert "Australia/Sydney 3 h behind (usually 2 h behind)" in finding.message
    assert "Europe/Zurich 11 h behind (usually 10 h behind or 12 h behind)" in finding.message


def test_seasons_are_not_divergences():
    # Geneva-Sydney: 10 h in January (CET +1, AEDT +11), 8 h from April to early October
    # (CEST +2, AEST +10); both hold for months. The 9 h weeks in between are not usual.
    from zoneinfo import ZoneInfo

    usual = usual_differences(ZoneInfo("Australia/Sydney"), ZoneInfo("Europe/Zurich"), 2024)
    assert usual == (480, 600)


# --- the plan as a whole ---------------------------------------------------------------

def test_overlap(world):
    # 15:00-17:00 and 16:30-18:00 on the same day share 30 minutes.
    path = write_meeting(world, [
        {"id": "a", "title": "First", "date": "2024-03-12", "time": "15:00-17:00"},
        {"id": "b", "title": "Second", "date": "2024-03-12", "time": "16:30-18:00"},
    ])
    [overlap] = findings(path, "overlap")
    assert overlap.severity == "error" and "30 min" in overlap.message
    assert "First" in overlap.message and "Second" in overlap.message


def test_back_to_back_is_no_overlap(world):
    path = write_meeting(world, [
        {"id": "a", "title": "First", "date": "2024-03-12", "time": "15:00-16:00"},
        {"id": "b", "title": "Second", "date": "2024-03-12", "time": "16:00-17:00"},
    ])
    assert findings(path, "overlap") == []


def test_senior_before_technical(world):
    path = write_meeting(world, [
        {"id": "technical", "title": "Technical Segment", "date": "2024-10-15", "time": "15:00-17:00"},
        {"id": "senior", "title": "Senior Segment", "date": "2024-10-01", "time": "15:00-17:00"},
    ])
    [order] = findings(path, "order")
    assert order.severity == "error" and order.segment == "senior"
    assert "01 Oct 2024" in order.message and "15 Oct 2024" in order.message


def test_technical_then_senior_is_in_order(world):
    path = write_meeting(world, [
        {"id": "technical", "title": "Technical Segment", "date": "2024-10-01", "time": "15:00-17:00"},
        {"id": "senior", "title": "Senior Segment", "date": "2024-10-15", "time": "15:00-17:00"},
    ])
    assert findings(path, "order") == []


def test_overrun_counts_sub_items_where_the_item_has_no_minutes(world):
    # 45 + 60 + (10 + 10) = 125 minutes in a 15:00-17:00 slot of 120 minutes: 5 over.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-12", "time": "15:00-17:00", "items": [
        {"title": "One", "minutes": 45},
        {"title": "Two", "minutes": 60},
        {"title": "Three", "items": [{"title": "a", "minutes": 10}, {"title": "b", "minutes": 10}]},
    ]}])
    [overrun] = findings(path, "overrun")
    assert "125 min" in overrun.message and "5 min more" in overrun.message and "120-min" in overrun.message


def test_no_overrun_when_it_fits_or_has_no_timings(world):
    path = write_meeting(world, [
        {"id": "a", "title": "A", "date": "2024-03-12", "time": "15:00-17:00",
         "items": [{"title": "One", "minutes": 60}, {"title": "Two", "minutes": 60}]},
        {"id": "b", "title": "B", "date": "2024-03-13", "time": "15:00-17:00", "items": [{"title": "One"}]},
    ])
    assert findings(path, "overrun") == []


@pytest.mark.parametrize("time, inside", [
    ("15:00-17:00", True), ("10:00-13:00", True), ("15:00-18:00", True),
    ("14:00-15:30", False), ("09:30-11:00", False), ("12:00-15:00", False), ("17:00-19:00", False),
])
def test_geneva_slots(world, time, inside):
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-12", "time": time}])
    slot = findings(path, "geneva-slot")
    assert (slot == []) == inside
    if slot:
        assert slot[0].severity == "info"


def test_geneva_slots_are_geneva_time_whatever_the_home_zone(world):
    # A meeting written in New York time: 09:00-11:00 EDT on 9 April 2024 is 15:00-17:00 CEST.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-04-09", "time": "09:00-11:00"}],
                         zone="America/New_York")
    assert findings(path, "geneva-slot") == []


# --- deadlines --------------------------------------------------------------------------

def test_deadlines_from_the_checklist_on_som29():
    # The checklist template counts back from each segment: -98, -70, -56, -42, -14 (two
    # tasks), -7 (two), -1, +7, +14 days, moved to the working day before a weekend or a
    # Geneva holiday. On Wednesday 20 September 2023:
    # - technical (Tue 26 Sep): due 20 Jun, 18 Jul, 1 Aug (Swiss National Day: 31 Jul), 15 Aug,
    #   12 Sep (two), 19 Sep (two) are overdue: 8 errors; 25 Sep is not yet due;
    # - senior (Tue 10 Oct): 4 Jul, 1 Aug (31 Jul), 15 Aug, 29 Aug overdue: 4 errors;
    # - midterm (Tue 16 May) has taken place: its preparation is moot, its follow-ups
    #   (23 May, 30 May) are still open: 2 warnings.
    result = run("check", "--today", "2023-09-20", "--format", "json")
    assert result.exit_code == 1
    deadline = [f for f in json.loads(result.output)["findings"] if f["code"] == "deadline"]
    by = {}
    for f in deadline:
        by.setdefault((f["segment"], f["severity"]), []).append(f["date"])
    assert sorted(by) == [("midterm", "warning"), ("senior", "error"), ("technical", "error")]
    assert sorted(by[("technical", "error")]) == ["2023-06-20", "2023-07-18", "2023-07-31", "2023-08-15",
                                                  "2023-09-12", "2023-09-12", "2023-09-19", "2023-09-19"]
    assert sorted(by[("senior", "error")]) == ["2023-07-04", "2023-07-31", "2023-08-15", "2023-08-29"]
    assert sorted(by[("midterm", "warning")]) == ["2023-05-23", "2023-05-30"]


def test_a_task_marked_done_in_the_file_is_not_overdue(world):
    # Segment Tuesday 1 October 2024; the forecast is due 98 days before: Tuesday 25 June.
    # On 1 July it is overdue, unless the meeting file marks it done.
    segment = [{"id": "s", "title": "Segment", "date": "2024-10-01", "time": "15:00-17:00"}]
    late = findings(write_meeting(world, segment, name="a.toml"), "deadline", today=date(2024, 7, 1))
    assert [(f.date, f.severity) for f in late] == [(date(2024, 6, 25), "error")]
    assert "Confirm the document forecast" in late[0].message and "6 days" in late[0].message
    done = write_meeting(world, segment, name="b.toml",
                         tasks=[{"title": "Confirm the document forecast", "segment": "s", "done": True}])
    assert findings(done, "deadline", today=date(2024, 7, 1)) == []


def test_deadline_rules_on_any_task_list():
    tasks = [Task("Circulate the agenda", "senior", date(2023, 8, 29), None, "Secretariat", False),
             Task("Book interpreters", "senior", date(2023, 8, 29), None, None, True),
             Task("Issue the report", "senior", date(2023, 10, 24), None, None, False)]
    held = {"senior": date(2023, 10, 10)}
    assert deadline_findings(tasks, date(2023, 8, 29), held) == []  # due today: not overdue yet
    [late] = deadline_findings(tasks, date(2023, 8, 30), held)
    assert (late.segment, late.severity) == ("senior", "error") and "1 day before" in late.message
    # After the segment: the preparation is moot; the report, due 14 days later, is a warning.
    [report] = deadline_findings(tasks, date(2023, 11, 1), held)
    assert report.severity == "warning" and "Issue the report" in report.message


# --- the command ------------------------------------------------------------------------

def test_today_must_be_a_date():
    result = run("check", "--today", "next week")
    assert result.exit_code == 2
    assert "--today `next week` is not a date" in result.output


def test_table_output_names_the_codes():
    result = run("check", "--today", "2023-01-01")
    assert result.exit_code == 0
    assert "geneva-slot" in result.output and "Utamaduni Day" not in result.output


def _agenda_overrun(path):
    from agenda.render.agenda_doc import agenda_document

    [segment] = agenda_document(load_meeting(path)).segments
    return [w for w in segment.warnings if "overruns the segment" in w]


def test_overrun_with_an_unknown_sub_item_is_reported_by_check_and_agenda_alike(world):
    # Worked by hand: 45 min + "Two" (sub-items 30 min and unknown) is at least 45 + 30 = 75 min,
    # 15 min more than the 60-min slot 15:00-16:00. The unknown sub-item cannot make it shorter.
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-12", "time": "15:00-16:00",
                                  "items": [{"title": "One", "minutes": 45},
                                            {"title": "Two", "items": [{"title": "a", "minutes": 30},
                                                                       {"title": "b"}]}]}])
    [overrun] = findings(path, "overrun")
    assert "at least 75 min" in overrun.message and "15 min more than its 60-min slot" in overrun.message
    assert _agenda_overrun(path) == ["Warning: the items' planned time (at least 1 h 15 min; some items have no "
                                     "minutes) overruns the segment (1 h) by at least 15 min."]


@pytest.mark.parametrize("items, slot, over", [
    # (items, slot minutes, expected overrun in minutes or None), each sum worked by hand
    ([{"title": "A", "minutes": 30}, {"title": "B", "minutes": 31}], 60, 1),
    ([{"title": "A", "minutes": 30}, {"title": "B", "minutes": 30}], 60, None),
    ([{"title": "A"}, {"title": "B", "minutes": 59}], 60, None),  # at least 59: may fit
    ([{"title": "A"}, {"title": "B", "minutes": 61}], 60, 1),  # at least 61: cannot fit
    ([{"title": "A", "minutes": 40, "items": [{"title": "a", "minutes": 50}]}], 60, None),  # the item's own 40
    ([{"title": "A", "items": [{"title": "a", "items": [{"title": "i", "minutes": 70}, {"title": "ii"}]}]}], 60, 10),
])
def test_check_and_agenda_agree_on_the_overrun(world, items, slot, over):
    path = write_meeting(world, [{"id": "s", "title": "Segment", "date": "2024-03-12",
                                  "time": f"15:00-{15 + slot // 60}:{slot % 60:02d}", "items": items}])
    found, warned = findings(path, "overrun"), _agenda_overrun(path)
    if over is None:
        assert found == [] and warned == []
    else:
        assert len(found) == 1 and f"{over} min more" in found[0].message
        assert len(warned) == 1 and warned[0].endswith(f"by {'at least ' if 'at least' in warned[0] else ''}{over} min.")


def test_check_and_suggest_judge_hours_night_and_geneva_slots_alike(tmp_path):
    # One rule (agenda.model.hours) for both commands. Worked by hand for Tue 12 Mar 2024 (CET, UTC+1;
    # New York EDT, UTC-4, from 10 Mar): 18:00-20:00 Geneva is 13:00-15:00 in New York.
    #   late: hours 14:00-22:00: inside;
    #   gva: 09:00-18:00: outside its hours; nyc: inside; tyo (UTC+9): 02:00-04:00 the next day: night.
    # 18:00-20:00 Geneva is outside the slots 10:00-13:00 and 15:00-18:00.
    from agenda.plan.suggest import Request, rank

    write_directory(tmp_path, [
        member("late", "Europe/Zurich", "CH", "Geneva", subdivision="GE", hours="14:00-22:00"),
        member("gva", "Europe/Zurich", "CH", "Geneva", subdivision="GE"),
        member("nyc", "America/New_York", "US", "New York", subdivision="NY"),
        member("tyo", "Asia/Tokyo", "JP", "Tokyo"),
    ])
    path = write_meeting(tmp_path, [{"id": "s", "title": "Segment", "date": "2024-03-12", "time": "18:00-20:00"}])
    found = {f.code: ids(f) for f in findings(path) if f.code in ("night", "out-of-hours", "geneva-slot")}
    assert found == {"night": ["tyo"], "out-of-hours": ["gva"], "geneva-slot": []}
    meeting = load_meeting(path)
    request = Request(date(2024, 3, 12), date(2024, 3, 12), meeting.segments[0].end - meeting.segments[0].start,
                      meeting.segments[0].end - meeting.segments[0].start, top=12)
    [slot] = [s for s in rank(meeting, meeting.members, request).slots if s.start == meeting.segments[0].start]
    assert {o.member.id: o.reason for o in slot.outside} == {"gva": "hours", "tyo": "night"}
    assert (slot.inside, slot.night, slot.geneva_slot) == (2, 1, False)


# One working-hours rule for `som schedule`, `som check` and `som suggest` (agenda.model.hours).
# A member's declared working hours win over the generic night rule (00:00-06:00 local): a
# member who works 00:00-08:00 is not "at night" during their own working hours, so 01:00 is
# inside for them in all three commands. Night is 00:00-06:00 outside the member's hours, as a
# time of day (on a day off it is still their day, not their night: "weekend" then). Worked by
# hand: Tuesday 12 and Friday 15 March 2024, Geneva on CET (UTC+1, summer time from 31 March),
# Tokyo on JST (UTC+9, no summer time): Tokyo is 8 h ahead of Geneva.
@pytest.mark.parametrize("zone, city, hours, day, span, status, code, inside, night", [
    # Geneva 17:00-18:00 = 16:00-17:00 UTC = Tokyo Wed 13 Mar 01:00-02:00, inside 00:00-08:00
    # on a workday: inside, nothing to report, counted inside by suggest and not at night.
    ("Asia/Tokyo", "Tokyo", "00:00-08:00", "2024-03-12", "17:00-18:00", "inside", None, 1, 0),
    # The same hour for a Tokyo member on the usual 09:00-18:00: at night (01:00-02:00).
    ("Asia/Tokyo", "Tokyo", None, "2024-03-12", "17:00-18:00", "outside", "night", 0, 1),
    # Geneva 22:00-24:00 = Tokyo Wed 06:00-08:00: inside 00:00-08:00 up to its close.
    ("Asia/Tokyo", "Tokyo", "00:00-08:00", "2024-03-12", "22:00-24:00", "inside", None, 1, 0),
    # Geneva member, hours 00:00-08:00, Geneva 05:00-09:00: 05:00-08:00 inside, 08:00-09:00
    # after the close: partly; 05:00-06:00 is within their hours, so not night but out of hours.
    ("Europe/Zurich", "Geneva", "00:00-08:00", "2024-03-12", "05:00-09:00", "partly", "out-of-hours", 0, 0),
    # Geneva member, hours 02:00-10:00, Geneva 01:00-03:00: 01:00-02:00 is before they open
    # and between 00:00 and 06:00: night; 02:00-03:00 inside: partly.
    ("Europe/Zurich", "Geneva", "02:00-10:00", "2024-03-12", "01:00-03:00", "partly", "night", 0, 1),
    # Geneva Friday 15 Mar 17:00-18:00 = Tokyo Saturday 16 Mar 01:00-02:00: not a workday of a
    # Monday-Friday member, but within the hours they keep: weekend, not night.
    ("Asia/Tokyo", "Tokyo", "00:00-08:00", "2024-03-15", "17:00-18:00", "outside", "weekend", 0, 0),
])
def test_schedule_check_and_suggest_judge_a_members_hours_alike(tmp_path, zone, city, hours, day, span, status,
                                                                code, inside, night):
    country = "JP" if zone == "Asia/Tokyo" else "CH"
    write_directory(tmp_path, [member("m", zone, country, city, subdivision="GE" if country == "CH" else None,
                                      hours=hours)])
    path = write_meeting(tmp_path, [{"id": "s", "title": "Segment", "date": day, "time": span}])
    start, end = span.split("-")
    duration = (int(end[:2]) * 60 + int(end[3:])) - (int(start[:2]) * 60 + int(start[3:]))

    scheduled = run("schedule", str(path), "--format", "json")
    assert scheduled.exit_code == 0, scheduled.output
    [row] = json.loads(scheduled.stdout)["segments"][0]["local"]
    assert row["working_hours"] == status

    checked = run("check", str(path), "--format", "json", "--today", "2023-01-01")
    codes = [f["code"] for f in json.loads(checked.stdout)["findings"]
             if f["code"] in ("night", "weekend", "out-of-hours") and f["members"]]
    assert codes == ([code] if code else [])

    suggested = run("suggest", str(path), "--between", f"{day}..{day}", "--duration", f"{duration}m",
                    "--step", "60m", "--top", "24", "--format", "json")
    assert suggested.exit_code == 0, suggested.output
    [slot] = [s for s in json.loads(suggested.stdout)["slots"] if s["start"] == f"{day}T{start}+01:00"]
    assert (slot["inside"], slot["night"]) == (inside, night)
    reasons = {o["member"]: o["reason"] for o in slot["outside"]}
    assert reasons == ({} if code is None else {"m": {"out-of-hours": "hours"}.get(code, code)})


@pytest.mark.parametrize("hours", ["22:00-06:00", "18:00-00:00", "09:00-24:00", "00:00-24:00"])
def test_hours_that_cross_midnight_are_refused_by_the_loader(tmp_path, hours):
    # The rule above only ever sees hours that open and close on one day: a directory cannot
    # declare hours that run past midnight (an end at 00:00 or 24:00 included).
    from agenda.model.errors import SomError
    from agenda.read.load import load_directory

    path = write_directory(tmp_path, [member("m", "Asia/Tokyo", "JP", "Tokyo", hours=hours)])
    with pytest.raises(SomError, match="`hours`"):
        load_directory(path)
