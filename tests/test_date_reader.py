"""One reader of dates in text: DATE_PATTERN, date_from_match and parse_date in agenda.model.timeplan.

`som convert`'s WHEN, `som import-report`'s prose, `--today`, `--between`, a meeting file's
`date` and a task's `due` all read a date through it; the options and files take its ISO
wording only (YYYY-MM-DD), as the README documents.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from agenda.model.errors import SomError
from agenda.model.timeplan import DATE_PATTERN, UTC, parse_date, parse_when, resolve_zone
from agenda.plan.checklist import parse_today
from agenda.plan.suggest import parse_between
from agenda.read.load import load_meeting, parse_due
from tests import oracle

ZURICH = resolve_zone("Europe/Zurich")
PACKAGE = Path(__file__).resolve().parent.parent / "agenda"

WORDINGS = ["26 September 2023", "26th September 2023", "the 26th of September 2023", "Tuesday, 26 September 2023",
            "Tue 26 Sep 2023", "Tues, Sep 26, 2023", "Sep 26, 2023", "September 26th, 2023", "Sept. 26 2023",
            "26-Sep-2023", "26-September-2023", "2023-09-26"]


@pytest.mark.parametrize("text", WORDINGS)
def test_a_wording_names_the_same_date_in_every_command(text):
    assert parse_date(text) == date(2023, 9, 26)
    prose = f"The technical segment meets on {text}, 15:00-17:00 CEST."  # what import-report scans
    assert [m.group(0) for m in DATE_PATTERN.finditer(prose)] == [text]
    when = parse_when(f"{text} 15:00", ZURICH, place="Geneva")
    assert when.instant.astimezone(UTC) == oracle.utc_of_local("2023-09-26 15:00", "Europe/Zurich")


@pytest.mark.parametrize("text", ["26-Sep 2023", "26 Sep-2023", "x26-Sep-2023", "26-Sep-2023-1", "1-26-Sep-2023"])
def test_a_dashed_date_is_dashed_throughout(text):
    assert not DATE_PATTERN.fullmatch(text) and not any(m.group(0).startswith("26") for m in DATE_PATTERN.finditer(text))


# (text, the date, or None where it is refused)
ISO_ONLY = [("2023-09-26", date(2023, 9, 26)), (" 2024-02-29 ", date(2024, 2, 29)), ("0001-01-01", date(1, 1, 1)),
            ("2023-02-29", None), ("2023-13-01", None), ("2023-9-26", None), ("26 September 2023", None),
            ("Tuesday, 2023-09-26", None), ("20230926", None), ("2023-W39-2", None), ("٢٠٢٣-٠٩-٢٦", None), ("", None)]


def _read(reader, text):
    try:
        return reader(text)
    except SomError:
        return None


@pytest.mark.parametrize("text, day", ISO_ONLY)
def test_options_and_files_read_iso_dates_through_the_one_reader(text, day):
    assert _read(lambda t: parse_date(t, iso_only=True), text) == day
    assert _read(parse_today, text) == day
    assert _read(lambda t: parse_between(f"{t}..{t}")[0], text) == day
    due = _read(parse_due, text)
    assert (due[0] if due else None) == day


@pytest.mark.parametrize("text, day", [(t, d) for t, d in ISO_ONLY if t.strip() and d != date(1, 1, 1)])  # som plans 1970-2200
def test_a_meeting_file_date_string_is_read_by_the_one_reader(meeting_file, text, day):
    path = meeting_file("date = 2023-09-26", f'date = "{text}"', '"15:00-17:00 CEST"', '"15:00-17:00"')
    meeting = _read(load_meeting, path)
    assert (meeting.segments[0].start.date() if meeting else None) == day


def test_nothing_else_in_the_package_reads_dates_from_text():
    readers = re.compile(r"\.fromisoformat\(|\.strptime\(|dateutil\.parser|from dateutil import parser")
    found = [f"{path.relative_to(PACKAGE.parent)}:{n}" for path in sorted(PACKAGE.rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if readers.search(line) and path.name != "timeplan.py"]
    assert found == []


# WHEN forms that python-dateutil's parser read otherwise, before the one reader: the instant
# GNU date gives for the wall time, or the message som now gives.
NOW_READ = [
    ("Tues 26 September 2023 15:00", "2023-09-26 15:00", "Europe/Zurich"),  # refused: dateutil knows Tue, not Tues
    ("Thurs 28 Sep 2023 10:00", "2023-09-28 10:00", "Europe/Zurich"),
    ("26 September 2023 3.30pm", "2023-09-26 15:30", "Europe/Zurich"),  # refused; "3.30 pm" was read
    ("26 September 2023 9", "2023-09-26 09:00", "Europe/Zurich"),  # refused; "... 15" was read
    ("15:00 UTC 26 September 2023", "2023-09-26 15:00", "Etc/UTC"),  # refused: a label before the date
]


@pytest.mark.parametrize("text, wall, zone", NOW_READ)
def test_forms_now_read(text, wall, zone):
    when = parse_when(text, ZURICH, zone_given=False, place="Geneva")
    assert when.instant.astimezone(UTC) == oracle.utc_of_local(wall, zone)


_CANNOT_READ = "cannot read `{}` as a date and time"
NOW_REFUSED = [
    ("26 September 2023 15:00 XYZ", _CANNOT_READ),  # dateutil took XYZ for a zone it did not know, and dropped it
    ("15:00 EDT, 26 September 2023", "`{}`: Geneva does not use EDT"),  # EDT was dropped: read as 15:00 in Geneva
    ("15 26 September 2023", _CANNOT_READ),  # read as 26 September 2015, 20:23
    ("9, 1 January 2024", _CANNOT_READ),  # read as 1 January 2009, 20:24
    ("2023 September 26 15:00", _CANNOT_READ),
    ("26 Sep '23 15:00", _CANNOT_READ),
    ("26 September 23 15:00", "`{}` has no full date"),
    ("2023/09/26 15:00", _CANNOT_READ),
    ("20230926T1500", _CANNOT_READ),
    ("26 September 2023 0pm", _CANNOT_READ),
    ("26 September 2023 15:00 on Tuesday", _CANNOT_READ),
    ("Tue Sep 26 15:00:00 2023", _CANNOT_READ),
]


@pytest.mark.parametrize("text, message", NOW_REFUSED)
def test_forms_now_refused(text, message):
    with pytest.raises(SomError) as err:
        parse_when(text, ZURICH, zone_given=False, place="Geneva")
    assert err.value.message == message.format(text)
