"""One reader of dates in text: DATE_PATTERN, date_from_match and parse_date in agenda.model.timeplan.

`som convert`'s WHEN and `som import-report`'s prose read a date through it.
"""

from __future__ import annotations

from datetime import date

import pytest

from agenda.model.errors import SomError
from agenda.model.timeplan import DATE_PATTERN, UTC, parse_date, parse_when, resolve_zone
from tests import oracle

ZURICH = resolve_zone("Europe/Zurich")

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
