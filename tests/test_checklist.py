"""`som checklist`: template due dates worked out by hand, moves off weekends and Geneva
holidays, overrides, status, formats, the .ics read by independent parsers, and bad input."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.plan import checklist as cl
from agenda.effects import clock
from agenda.cli.checklist import styled_report
from agenda.model.errors import SomError
from agenda.read.load import load_meeting, parse_due
from tests import parsers, som29
from tests.conftest import write_meeting

# SOM29's three segments are Tuesdays: Tue 16 May, Tue 26 Sep and Tue 10 Oct 2023, so every
# whole-week offset lands on a Tuesday and T−1 day on a Monday. Counted by hand in steps of
# two weeks (14 days) back from each segment date:
#   midterm 16 May: 2 May (T−2w), 18 Apr (−4w), 4 Apr (−6w), 21 Mar (−8w), 7 Mar (−10w),
#                   21 Feb (−12w), 7 Feb (−14w); 9 May (−1w), 15 May (−1d); 23 May (+1w), 30 May (+2w)
#   technical 26 Sep: 12 Sep (−2w), 29 Aug (−4w), 15 Aug (−6w), 1 Aug (−8w), 18 Jul (−10w),
#                   4 Jul (−12w), 20 Jun (−14w); 19 Sep (−1w), 25 Sep (−1d); 3 Oct (+1w), 10 Oct (+2w)
#   senior 10 Oct:  26 Sep (−2w), 12 Sep (−4w), 29 Aug (−6w), 15 Aug (−8w), 1 Aug (−10w),
#                   18 Jul (−12w), 4 Jul (−14w); 3 Oct (−1w), 9 Oct (−1d); 17 Oct (+1w), 24 Oct (+2w)
# 1 August is the Swiss National Day, a public holiday in Geneva: technical's T−8w and senior's
# T−10w move to the working day before, Mon 31 Jul 2023. No SOM29 item has a lead, so there is
# no T−4w "request input" task. (Ascension Thu 18 May and Whit Monday 29 May miss every date.)
SOM29_DUE = {
    "midterm.forecast": "2023-02-07",
    "midterm.submit-documents": "2023-03-07",
    "midterm.invitations": "2023-03-21",
    "midterm.distribute-documents": "2023-04-04",
    "midterm.confirm-speakers": "2023-05-02",
    "midterm.cancel-services": "2023-05-02",
    "midterm.test-platform": "2023-05-09",
    "midterm.final-agenda": "2023-05-09",
    "midterm.reminders": "2023-05-15",
    "midterm.draft-summary": "2023-05-23",
    "midterm.final-report": "2023-05-30",
    "technical.forecast": "2023-06-20",
    "technical.submit-documents": "2023-07-18",
    "technical.invitations": "2023-07-31",  # Tue 1 Aug, National Day
    "technical.distribute-documents": "2023-08-15",
    "technical.confirm-speakers": "2023-09-12",
    "technical.cancel-services": "2023-09-12",
    "technical.test-platform": "2023-09-19",
    "technical.final-agenda": "2023-09-19",
    "technical.reminders": "2023-09-25",
    "technical.draft-summary": "2023-10-03",
    "technical.final-report": "2023-10-10",
    "senior.forecast": "2023-07-04",
    "senior.submit-documents": "2023-07-31",  # Tue 1 Aug, National Day
    "senior.invitations": "2023-08-15",
    "senior.distribute-documents": "2023-08-29",
    "senior.confirm-speakers": "2023-09-26",
    "senior.cancel-services": "2023-09-26",
    "senior.test-platform": "2023-10-03",
    "senior.final-agenda": "2023-10-03",
    "senior.reminders": "2023-10-09",
    "senior.draft-summary": "2023-10-17",
    "senior.final-report": "2023-10-24",
}


def hand_counts(today: date) -> dict[str, int]:
    """How many tasks of the hand table have each status on `today`, by the rule of
    cl.task_status's docstring: once a segment has taken place, its preparation (due up to its
    date) is past; any other task is overdue when due before today, due soon within 7 days."""
    held = {s["id"]: s["date"] for s in som29.SEGMENTS}
    counts = dict.fromkeys(("past", "overdue", "due soon", "open"), 0)
    for task_id, due in SOM29_DUE.items():
        due, segment = date.fromisoformat(due), held[task_id.split(".")[0]]
        if segment < today and due <= segment:
            counts["past"] += 1
        elif due < today:
            counts["overdue"] += 1
        else:
            counts["due soon" if (due - today).days <= 7 else "open"] += 1
    return counts


# today = Wed 20 Sep 2023. The midterm segment (16 May) has taken place: its 9 preparation
# tasks (due up to 15 May) are past, not overdue; its follow-ups 23 May and 30 May are overdue (2).
# Overdue too (due before 20 Sep): technical's 20 Jun, 18 Jul, 31 Jul, 15 Aug, 12 Sep ×2,
# 19 Sep ×2 (8); senior's 4 Jul, 31 Jul, 15 Aug, 29 Aug (4): 14 in all, as `som check` has 14
# `deadline` findings. Due within 7 days (20–27 Sep): technical reminders 25 Sep, senior's two
# tasks on 26 Sep: 3. Open = not done and not past = 33 − 9 = 24.
ON_20_SEP = hand_counts(date(2023, 9, 20))
SUMMARY_20_SEP = (f"{ON_20_SEP['overdue']} overdue, {ON_20_SEP['due soon']} due this week, "
                  f"{len(SOM29_DUE) - ON_20_SEP['past']} open, {ON_20_SEP['past']} past, 0 done")


def test_som29_due_dates_match_the_hand_table():
    checklist = cl.build_checklist(load_meeting(), date(2023, 9, 20))
    assert {t.id: t.due.isoformat() for t in checklist.tasks} == SOM29_DUE
    assert len(SOM29_DUE) == som29.TASKS  # segments × template tasks + items with a lead (none)
    assert [t.due for t in checklist.tasks] == sorted(t.due for t in checklist.tasks)
    assert checklist.calendar.name == "CH-GE"


def test_som29_national_day_moves_to_the_monday_before_and_says_so():
    tasks = {t.id: t for t in cl.build_checklist(load_meeting(), date(2023, 9, 20)).tasks}
    moved = {i for i, t in tasks.items() if t.moved_from}
    assert moved == {"technical.invitations", "senior.submit-documents"}
    task = tasks["technical.invitations"]
    assert task.moved_from == date(2023, 8, 1)
    assert task.note == "moved from Tue 1 Aug 2023 (National Day, a public holiday in Geneva)"


# Our own meeting (tests/conftest.py), by hand:
#   autumn, Thu 19 Oct 2023: T−6w = 19 Oct − 42 days = Thu 7 Sep 2023, the Jeûne genevois
#     (Thursday after the first Sunday of September: Sun 3 Sep → Thu 7 Sep) → Wed 6 Sep.
#     T−4w = Thu 21 Sep: one "request input" task per item with a lead (2, 2 (a), 2 (b)).
#     [[task]] "Brief the chair", "-3 days" → Mon 16 Oct. [[task]] "send reminders" overrides
#     the template's "Send reminders" (titles compare case-insensitively): 2 days before → Tue 17 Oct.
#   monday, Mon 16 Oct 2023: T−1 day = Sun 15 Oct (weekend) → Fri 13 Oct.
#   spring, Mon 17 Apr 2023: T−1w = Mon 10 Apr, Easter Monday → Sun 9, Sat 8, Good Friday 7 Apr
#     are no working days either → Thu 6 Apr. T−1 day = Sun 16 Apr → Fri 14 Apr.
#   "Book interpreters", due Sat 12 Aug 2023 (1 Aug 2023 is a Tuesday, so 12 Aug a Saturday)
#     → Fri 11 Aug.
def test_own_meeting_moves_off_weekends_and_geneva_holidays(prep_file):
    tasks = {t.id: t for t in cl.build_checklist(load_meeting(prep_file), date(2023, 9, 1)).tasks}
    expect = {
        "autumn.distribute-documents": ("2023-09-06", "2023-09-07", "Genevan Fast, a public holiday in Geneva"),
        "monday.reminders": ("2023-10-13", "2023-10-15", "weekend"),
        "spring.test-platform": ("2023-04-06", "2023-04-10", "Easter Monday, a public holiday in Geneva"),
        "spring.reminders": ("2023-04-14", "2023-04-16", "weekend"),
        "meeting.book-interpreters": ("2023-08-11", "2023-08-12", "weekend"),
    }
    for task_id, (due, moved_from, reason) in expect.items():
        task = tasks[task_id]
        assert (task.due.isoformat(), task.moved_from.isoformat(), task.moved_reason) == (due, moved_from, reason)
    assert tasks["meeting.book-interpreters"].note == "moved from Sat 12 Aug 2023 (weekend)"
    assert tasks["autumn.forecast"].due == date(2023, 7, 13)  # 19 Oct − 98 days, a Thursday
    assert tasks["autumn.forecast"].moved_from is None


def test_lead_tasks_overrides_and_additions(prep_file):
    tasks = {t.id: t for t in cl.build_checklist(load_meeting(prep_file), date(2023, 9, 1)).tasks}
    inputs = {i: (t.title, t.due) for i, t in tasks.items() if ".input-" in i}
    assert inputs == {
        "autumn.input-2": ("Request input from UNEP on item 2: Biodiversity", date(2023, 9, 21)),
        "autumn.input-2-a": ("Request input from UNDP on item 2 (a): Post-2020 framework", date(2023, 9, 21)),
        "autumn.input-2-b": ("Request input from ILO on item 2 (b): Business & biodiversity", date(2023, 9, 21)),
    }
    reminders = tasks["autumn.reminders"]  # overridden, same id so its UID stays the same
    assert (reminders.title, reminders.due, reminders.owner, reminders.done, reminders.origin) == (
        "Send reminders", date(2023, 10, 17), "Chair's office", True, "override")
    assert sum(1 for t in tasks.values() if t.title.casefold() == "send reminders") == 3  # one per segment
    brief = tasks["autumn.brief-the-chair"]
    assert (brief.due, brief.segment, brief.origin) == (date(2023, 10, 16), "autumn", "file")
    assert tasks["meeting.book-interpreters"].segment is None


def test_cancelled_segment_has_no_template_tasks(tmp_path):
    path = write_meeting(tmp_path, """\
        [meeting]
        id = "m"
        title = "M"
        timezone = "Europe/Zurich"
        [[segment]]
        id = "off"
        title = "Off"
        date = 2023-09-26
        time = "15:00-17:00 CEST"
        status = "cancelled"
        [[segment]]
        id = "on"
        title = "On"
        date = 2023-09-27
        time = "15:00-17:00 CEST"
        """)
    tasks = cl.build_checklist(load_meeting(path), None).tasks
    # the one task a cancellation leaves: release what was booked, by the template's last day
    assert [(t.id, t.title, t.due.isoformat()) for t in tasks if t.segment == "off"] == [
        ("off.cancel-services", "Cancel the paid services booked for Off (cancelled)", "2023-09-12")]
    assert {t.segment for t in tasks} == {"on", "off"}


def test_status_and_count_line():
    # The count by rule from the hand table is the count by hand (the comment above ON_20_SEP).
    assert SUMMARY_20_SEP == "14 overdue, 3 due this week, 24 open, 9 past, 0 done"
    checklist = cl.build_checklist(load_meeting(), date(2023, 9, 20))
    assert checklist.summary == SUMMARY_20_SEP
    report = styled_report(checklist)
    styles = dict(zip((r[0] for r in report.tables[0].rows), report.tables[0].styles))
    assert styles["technical.final-agenda"] == "red"
    assert styles["senior.cancel-services"] == "yellow"
    assert styles["senior.final-report"] is None
    assert report.tables[0].footer == [SUMMARY_20_SEP]
    statuses = {r[0]: r[6] for r in report.tables[0].rows}
    assert statuses["midterm.forecast"] == "past" and statuses["midterm.draft-summary"] == "overdue"


def test_checklist_overdue_tasks_are_the_deadline_findings_of_check(run):
    # One rule for both commands (see ON_20_SEP for the 14 by hand).
    tasks = json.loads(run("checklist", "--today", "2023-09-20", "--format", "json").output)["tasks"]
    findings = json.loads(run("check", "--today", "2023-09-20", "--format", "json").output)["findings"]
    overdue = sorted((t["segment"], t["due"]) for t in tasks if t["overdue"])
    assert len(overdue) == ON_20_SEP["overdue"]
    assert overdue == sorted((f["segment"], f["date"]) for f in findings if f["code"] == "deadline")
    assert sum(t["status"] == "past" for t in tasks) == ON_20_SEP["past"]


def test_due_today_is_not_overdue_and_seven_days_ahead_is_due_this_week():
    # today Tue 19 Sep: technical's 19 Sep tasks are due today (not overdue); senior's 26 Sep
    # tasks are exactly 7 days ahead, still "this week"; 3 Oct (14 days) is not.
    tasks = {t.id: t for t in cl.build_checklist(load_meeting(), date(2023, 9, 19)).tasks}
    assert tasks["technical.final-agenda"].status == "due soon"
    assert tasks["technical.cancel-services"].status == "overdue"
    assert tasks["senior.confirm-speakers"].status == "due soon"
    assert tasks["senior.final-agenda"].status == "open"


def test_done_task_is_never_overdue(prep_file):
    tasks = {t.id: t for t in cl.build_checklist(load_meeting(prep_file), date(2024, 1, 1)).tasks}
    assert tasks["autumn.reminders"].status == "done"
    assert not tasks["autumn.reminders"].overdue
    assert tasks["autumn.final-report"].overdue


def test_without_today_there_is_no_status():
    checklist = cl.build_checklist(load_meeting(), None)
    assert not any(t.overdue or t.due_soon for t in checklist.tasks)
    assert checklist.summary == f"{som29.TASKS} open, 0 done"


def test_segment_filter():
    tasks = cl.build_checklist(load_meeting(), date(2023, 9, 20), ["senior"]).tasks
    assert {t.segment for t in tasks} == {"senior"} and len(tasks) == som29.tasks_of("senior")


# --- the command and its formats -------------------------------------------------------------

def test_json_fields(run):
    result = run("checklist", "--today", "2023-09-20", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data["tasks"]) == som29.TASKS
    first = data["tasks"][0]
    assert {"id", "title", "segment", "due", "owner", "done", "overdue"} <= set(first)
    moved = next(t for t in data["tasks"] if t["id"] == "technical.invitations")
    assert (moved["due"], moved["moved_from"], moved["overdue"]) == ("2023-07-31", "2023-08-01", True)


def test_table_ends_with_the_count_line(run):
    result = run("checklist", "--today", "2023-09-20")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1] == SUMMARY_20_SEP
    assert "moved from Tue 1 Aug 2023" in result.output


def test_csv_and_md(run):
    csv_out = run("checklist", "--today", "2023-09-20", "--format", "csv").output.splitlines()
    assert csv_out[0] == "ID,Due,Day,Segment,Task,Owner,Status,Note"
    assert csv_out[1] == "midterm.forecast,2023-02-07,Tue,midterm,Confirm the document forecast,Secretariat,past,"
    md = run("checklist", "--today", "2023-09-20", "--format", "md").output
    assert "| 2023-07-31 | Mon | technical | Send invitations and save-the-date |" in md


def test_default_today_is_the_frozen_clock(run, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2023, 9, 20))
    data = json.loads(run("checklist", "--format", "json").output)
    assert data["today"] == "2023-09-20"
    assert sum(t["overdue"] for t in data["tasks"]) == ON_20_SEP["overdue"]


def test_help_lists_every_template_title(run):
    text = " ".join(run("checklist", "--help").output.split())
    for task in cl.TEMPLATE:
        assert task.title in text


def test_output_file(run, tmp_path):
    out = tmp_path / "sub" / "prep.json"
    result = run("checklist", "--today", "2023-09-20", "--format", "json", "-o", out)
    assert result.exit_code == 0 and result.output == ""
    assert len(json.loads(out.read_text())["tasks"]) == som29.TASKS


# --- iCalendar -------------------------------------------------------------------------------

@pytest.fixture
def som29_ics(run, tmp_path) -> Path:
    path = tmp_path / "prep.ics"
    assert run("checklist", "--format", "ics", "-o", path).exit_code == 0
    return path


@pytest.fixture
def som29_events(run, tmp_path) -> Path:
    path = tmp_path / "prep-events.ics"
    assert run("checklist", "--format", "ics", "--as-events", "-o", path).exit_code == 0
    return path


def test_vtodo_lines_and_fields(som29_ics):
    import icalendar

    data = som29_ics.read_bytes()
    assert parsers.check_lines(data) == []
    cal = icalendar.Calendar.from_ical(data)
    todos = cal.walk("VTODO")
    assert len(todos) == som29.TASKS
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    todo = next(t for t in todos if str(t["UID"]) == "todo.technical.invitations.emg-som29@som")
    assert todo.decoded("DUE") == date(2023, 7, 31)
    assert todo.decoded("DTSTART") == date(2023, 7, 24)  # a week ahead: "due this week"
    assert b"DUE;VALUE=DATE:20230731" in data
    assert str(todo["RELATED-TO"]) == "technical.emg-som29@som"
    assert str(todo["STATUS"]) == "NEEDS-ACTION"
    # The segment in the title: each segment has its own "Send invitations" (three in SOM29).
    assert str(todo["SUMMARY"]) == "Send invitations and save-the-date — Technical Segment"
    forecasts = sorted(str(t["SUMMARY"]) for t in todos if str(t["SUMMARY"]).startswith("Confirm the document"))
    assert forecasts == ["Confirm the document forecast — Midterm Technical Segment",
                         "Confirm the document forecast — Senior Segment",
                         "Confirm the document forecast — Technical Segment"]
    assert "moved from Tue 1 Aug 2023" in str(todo["DESCRIPTION"])
    assert todo.decoded("DTSTAMP").isoformat() == "2023-01-01T00:00:00+00:00"
    assert len({str(t["UID"]) for t in todos}) == som29.TASKS


def test_vtodo_read_alike_by_five_parsers(som29_ics):
    seen = parsers.all_parsers_agree(som29_ics)
    todos = seen["ical.js"]
    assert len(todos) == som29.TASKS
    by_uid = {t.uid: t for t in todos}
    assert by_uid["todo.senior.submit-documents.emg-som29@som"].end_utc == date(2023, 7, 31)
    assert {t.status for t in todos} == {"NEEDS-ACTION"}
    ok, problems = parsers.libical_restriction_check([som29_ics])[som29_ics]
    assert ok, problems


def test_done_task_is_completed_and_readable(run, prep_file, tmp_path):
    path = tmp_path / "own.ics"
    assert run("checklist", prep_file, "--format", "ics", "-o", path).exit_code == 0
    assert parsers.check_lines(path.read_bytes()) == []
    seen = parsers.all_parsers_agree(path)
    by_uid = {t.uid: t for t in seen["libical"]}
    done = by_uid["todo.autumn.reminders.test-prep@som"]
    assert (done.status, done.end_utc) == ("COMPLETED", date(2023, 10, 17))
    # A title with a comma, ampersand and "<" round-trips through the escaping.
    assert by_uid["todo.autumn.input-2-b.test-prep@som"].summary == \
        "Request input from ILO on item 2 (b): Business & biodiversity — Autumn Segment"
    ok, problems = parsers.libical_restriction_check([path])[path]
    assert ok, problems


def test_as_events_all_day_transparent(som29_events):
    import icalendar

    data = som29_events.read_bytes()
    assert parsers.check_lines(data) == []
    cal = icalendar.Calendar.from_ical(data)
    assert cal.walk("VTODO") == []
    events = cal.walk("VEVENT")
    assert len(events) == som29.TASKS
    event = next(e for e in events if str(e["UID"]) == "deadline.technical.invitations.emg-som29@som")
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (date(2023, 7, 31), date(2023, 8, 1))
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert b"DTSTART;VALUE=DATE:20230731" in data
    seen = parsers.all_parsers_agree(som29_events)
    first = seen["ical.js"][0]
    assert (first.start_utc, first.end_utc) == (date(2023, 2, 7), date(2023, 2, 8))
    ok, problems = parsers.libical_restriction_check([som29_events])[som29_events]
    assert ok, problems


# A meeting title with the characters TEXT escapes (comma, semicolon, backslash, newline):
# the calendar name (X-WR-CALNAME, NAME) and the task summaries must come back whole.
PUNCTUATED = r'''
[meeting]
id = "punct"
title = "EMG SOM, Geneva; part 1 \\ annex\nsecond line"
timezone = "Europe/Zurich"

[meeting.organizer]
name = "EMG Secretariat"
email = "emg.secretariat@example.org"

[[segment]]
id = "one"
title = "Segment, one; \\ the first\nline two"
date = 2023-10-10
time = "15:00-17:00"

[[task]]
title = "Brief the chair, twice; \\ then\nrest"
segment = "one"
due = "-3 days"
owner = "Secretariat"
'''
PUNCTUATED_NAME = "EMG SOM, Geneva; part 1 \\ annex\nsecond line: preparation"
PUNCTUATED_TASK = "Brief the chair, twice; \\ then\nrest — Segment, one; \\ the first\nline two"


def calendar_names(path: Path) -> dict[str, tuple[str | None, ...]]:
    """(X-WR-CALNAME, NAME) as each parser reads them; `ical` models NAME only. icalendar 7
    (like ical.js 2.2, see its dump) does not know the two as TEXT and gives the value as
    written, escaped: it is read with icalendar's own unescaping."""
    import icalendar
    import icalendar.parser
    import vobject
    from ical.calendar_stream import IcsCalendarStream

    def unescaped(value) -> str:
        if type(value).__name__ != "vUnknown":
            return str(value)  # read as TEXT already
        return (getattr(icalendar.parser, "unescape_backslash", None) or icalendar.parser.unescape_char)(str(value))

    data = path.read_bytes()
    js = parsers.icaljs_dump([path])[path]["calendar"]
    lib = parsers.libical_dump([path])[path]["calendar"]
    vo = vobject.readOne(data.decode("utf-8")).contents
    ic = icalendar.Calendar.from_ical(data)
    return {
        "ical.js": (js["x-wr-calname"], js["name"]),
        "libical": (lib["x-wr-calname"], lib["name"]),
        "vobject": (vo["x-wr-calname"][0].value, vo["name"][0].value),
        "icalendar": (unescaped(ic["X-WR-CALNAME"]), unescaped(ic["NAME"])),
        "ical": tuple(IcsCalendarStream.calendar_from_ics(data.decode("utf-8")).name),
    }


@pytest.mark.parametrize("as_events", [False, True])
def test_calendar_name_and_summaries_with_commas_semicolons_backslashes_and_newlines(run, tmp_path, as_events):
    source = tmp_path / "punct.toml"
    source.write_text(PUNCTUATED, encoding="utf-8")
    assert load_meeting(source).title == "EMG SOM, Geneva; part 1 \\ annex\nsecond line"
    path = tmp_path / "punct.ics"
    args = ["checklist", source, "--format", "ics", "-o", path] + (["--as-events"] if as_events else [])
    assert run(*args).exit_code == 0
    assert parsers.check_lines(path.read_bytes()) == []
    names = calendar_names(path)
    assert names == {"ical.js": (PUNCTUATED_NAME,) * 2, "libical": (PUNCTUATED_NAME,) * 2,
                     "vobject": (PUNCTUATED_NAME,) * 2, "icalendar": (PUNCTUATED_NAME,) * 2,
                     "ical": (PUNCTUATED_NAME,)}
    for parser, instants in parsers.all_parsers_agree(path).items():
        added = [i.summary for i in instants if i.uid.endswith(".brief-the-chair-twice-then-rest.punct@som")]
        assert added == [PUNCTUATED_TASK], parser
        # every task is the segment's: its title ends each summary
        assert all(i.summary.endswith(" — Segment, one; \\ the first\nline two") for i in instants), parser
    ok, problems = parsers.libical_restriction_check([path])[path]
    assert ok, problems


def test_ics_is_byte_stable_and_follows_source_date_epoch(run, monkeypatch):
    first = run("checklist", "--format", "ics").stdout_bytes
    assert run("checklist", "--format", "ics").stdout_bytes == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    stamped = run("checklist", "--format", "ics").stdout_bytes
    assert b"DTSTAMP:20231114T221320Z" in stamped and b"DTSTAMP:20230101T000000Z" not in stamped


# --- bad input -------------------------------------------------------------------------------

def test_unknown_segment_suggests(run):
    result = run("checklist", "--segment", "senoir")
    assert result.exit_code == 2
    assert result.stderr.strip() == "som: error: no segment `senoir` in emg-som29; did you mean `senior`?"


@pytest.mark.parametrize("bad", ["2023-02-30", "20/09/2023", "tomorrow", "2023-9-20", ""])
def test_bad_today(run, bad):
    result = run("checklist", "--today", bad)
    assert result.exit_code == 2
    assert f"--today `{bad}` is not a date" in result.stderr and "YYYY-MM-DD" in result.stderr


def test_task_with_bad_due_names_file_and_line(run, tmp_path):
    path = write_meeting(tmp_path, """\
        [meeting]
        id = "m"
        title = "M"
        timezone = "Europe/Zurich"

        [[segment]]
        id = "s"
        title = "S"
        date = 2023-09-26
        time = "15:00-17:00 CEST"

        [[task]]
        title = "Brief the chair"
        segment = "s"
        due = "three days before"
        """)
    result = run("checklist", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"som: error: {path}:15: `due` of [[task]] `Brief the chair`: "
                                    "`three days before` is neither a date nor an offset; write an ISO date")
    assert result.stdout == ""


def test_added_task_without_due_names_file_and_line(run, tmp_path):
    path = write_meeting(tmp_path, """\
        [meeting]
        id = "m"
        title = "M"
        timezone = "Europe/Zurich"

        [[segment]]
        id = "s"
        title = "S"
        date = 2023-09-26
        time = "15:00-17:00 CEST"

        [[task]]
        title = "Brief the chair"
        segment = "s"
        """)
    result = run("checklist", path)
    assert result.exit_code == 2
    assert f"{path}:12: [[task]] `Brief the chair` has no `due` and is not a template task" in result.stderr


def test_as_events_needs_ics(run):
    result = run("checklist", "--as-events")
    assert result.exit_code == 2 and "--as-events goes with --format ics" in result.stderr


def test_output_to_a_folder_or_under_a_file_writes_nothing(run, tmp_path):
    result = run("checklist", "--format", "ics", "-o", tmp_path)
    assert result.exit_code == 2 and "is a folder" in result.stderr
    blocker = tmp_path / "plain.txt"
    blocker.write_text("x")
    result = run("checklist", "--format", "ics", "-o", blocker / "prep.ics")
    assert result.exit_code == 2 and f"{blocker} is a file, not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt"]


def test_bad_input_leaves_an_existing_output_untouched(run, tmp_path):
    out = tmp_path / "prep.ics"
    out.write_bytes(b"old")
    assert run("checklist", "--segment", "nope", "--format", "ics", "-o", out).exit_code == 2
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep.ics"]


# --- property tests: --today and due -------------------------------------------------------

@pytest.mark.fuzz
@given(st.text(max_size=30))
def test_parse_today_returns_a_date_or_a_som_error(text):
    try:
        day = cl.parse_today(text)
    except SomError as exc:
        assert "YYYY-MM-DD" in exc.hint
    else:
        assert day.isoformat() == text.strip()


@given(st.dates())
def test_parse_today_reads_every_iso_date(day):
    assert cl.parse_today(f" {day.isoformat()} ") == day


@pytest.mark.fuzz
@given(st.text(max_size=30))
def test_parse_due_returns_a_due_or_a_som_error(text):
    try:
        due, offset = parse_due(text)
    except SomError as exc:
        assert exc.hint
    else:
        assert (due is None) != (offset is None)
        if offset is not None:
            assert abs(offset) <= 3660
            date(2023, 9, 26) + timedelta(days=offset)  # never overflows


@given(st.integers(0, 500), st.sampled_from(["day", "days", "d", "week", "weeks", "w"]),
       st.sampled_from(["-", "+", "−", "", "before", "after"]))
def test_parse_due_offsets(n, unit, side):
    days = n * (7 if unit.startswith("w") else 1)
    text = f"{n} {unit} {side}" if side in ("before", "after") else f"{side}{n} {unit}"
    negative = side in ("-", "−", "before")
    assert parse_due(text) == (None, -days if negative else days)


def test_parse_due_regressions():
    assert parse_due("53 days") == (None, 53)  # once read as "+3 days"
    for bad in ("x3 days", "-3 days after", "2023-02-30", "99999 weeks"):
        with pytest.raises(SomError):
            parse_due(bad)


def test_output_never_replaces_a_file_som_did_not_write(run, tmp_path):
    out = tmp_path / "prep.ics"
    out.write_bytes(b"someone else's calendar")
    result = run("checklist", "--format", "ics", "-o", out)
    assert result.exit_code == 2 and "exists and som did not write it" in result.stderr
    assert out.read_bytes() == b"someone else's calendar"
    assert run("checklist", "--format", "ics", "-o", out, "--force").exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert run("checklist", "--format", "csv", "-o", out).exit_code == 0  # som wrote it: replaced
    assert out.read_bytes().startswith(b"ID,Due")


def test_a_home_country_without_known_holidays_moves_off_weekends_only(tmp_path, run):
    # "AA" is an ISO 3166 user-assigned code: the `holidays` package has no calendar for it, and
    # `som check` says such holidays were "not checked"; the checklist says the same and goes on.
    # By hand (weekdays from GNU date): 12 Mar 2024 is a Tuesday and every template offset is whole
    # weeks except T−1 day (Mon 11 Mar), so no template task moves; the [[task]] due Sat 9 Mar 2024
    # moves to Fri 8 Mar.
    from tests.planfiles import member, write_directory, write_meeting

    write_directory(tmp_path, [member("sx", "America/Santiago", "AA", "Santiago")])
    path = write_meeting(tmp_path, [{"id": "s", "title": "Segment", "date": "2024-03-12", "time": "10:00-12:00"}],
                         zone="America/Santiago", tasks=[{"title": "Book a room", "due": "2024-03-09"}])
    checklist = cl.build_checklist(load_meeting(path), date(2024, 1, 1))
    assert checklist.calendar.name == "AA (no public holidays known: weekends only)"
    tasks = {t.id: t for t in checklist.tasks}
    assert [t.id for t in checklist.tasks if t.moved_from] == ["meeting.book-a-room"]
    assert tasks["meeting.book-a-room"].due == date(2024, 3, 8)  # Sat 9 Mar → Fri 8 Mar
    result = run("checklist", path, "--today", "2024-01-01")
    assert result.exit_code == 0, result.stderr
    assert "public holidays of AA are not known" in result.stdout
