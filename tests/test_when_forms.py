"""Every way of writing WHEN that `som convert` accepts or refuses, in one table.

Accepted forms give the instant GNU `date` gives for the same wall time (tests/oracle.py): a
label that states an offset is checked against an Etc/GMT zone with that offset (POSIX signs:
Etc/GMT-2 is UTC+02:00). Refused forms give the message, word for word, that som printed
when the table was written; each one was checked by hand (dates, weekdays, offsets).
"""

from __future__ import annotations

import functools
import json

import pytest

from agenda.model.timeplan import UTC, parse_when, resolve_zone
from tests import oracle

GENEVA = "Europe/Zurich"  # the bundled meeting's home zone; its messages name the city, Geneva

# (WHEN, --from or None, the wall time it names, the zone of that wall time for GNU date)
ACCEPTED = [
    # the forms of the README and `som convert --help`
    ("2023-09-26 15:00", None, "2023-09-26 15:00", GENEVA),
    ("2023-09-26T15:00+02:00", None, "2023-09-26 15:00", "Etc/GMT-2"),
    ("26 September 2023 15:00 CEST", None, "2023-09-26 15:00", GENEVA),
    ("26th September 2023, 15:00 CEST", None, "2023-09-26 15:00", GENEVA),
    ("16 May 2023 3pm CEST", None, "2023-05-16 15:00", GENEVA),
    ("Tuesday, 26 September 2023, 15:00", None, "2023-09-26 15:00", GENEVA),
    # dates in words
    ("Tuesday, 26 September 2023, 3pm CEST", None, "2023-09-26 15:00", GENEVA),
    ("Tue 26 September 2023 15:00", None, "2023-09-26 15:00", GENEVA),
    ("Tue, Sep 26, 2023 15:00", None, "2023-09-26 15:00", GENEVA),
    ("TUESDAY 26 SEPTEMBER 2023 15:00", None, "2023-09-26 15:00", GENEVA),
    ("Sep 26, 2023 15:00", None, "2023-09-26 15:00", GENEVA),
    ("Sept. 26, 2023 15:00", None, "2023-09-26 15:00", GENEVA),
    ("26 Sept 2023 15:00", None, "2023-09-26 15:00", GENEVA),
    ("26 Sep 2023 15:00", None, "2023-09-26 15:00", GENEVA),
    ("September 26th, 2023, 15:00", None, "2023-09-26 15:00", GENEVA),
    ("September 26, 2023 at 3pm", None, "2023-09-26 15:00", GENEVA),
    ("the 26th of September 2023 at 15:00", None, "2023-09-26 15:00", GENEVA),
    ("on 26 September 2023 at 15:00", None, "2023-09-26 15:00", GENEVA),
    ("26 September 2023 - 15:00", None, "2023-09-26 15:00", GENEVA),
    ("29 Feb 2024 15:00", None, "2024-02-29 15:00", GENEVA),
    ("1 January 2024 00:00", None, "2024-01-01 00:00", GENEVA),
    ("31 December 2023 23:59", None, "2023-12-31 23:59", GENEVA),
    # the time first
    ("15:00, 26 September 2023", None, "2023-09-26 15:00", GENEVA),
    ("3pm on 26 September 2023", None, "2023-09-26 15:00", GENEVA),
    ("15:00 CEST 26 September 2023", None, "2023-09-26 15:00", GENEVA),
    # times of day
    ("26 September 2023 3.30 pm CEST", None, "2023-09-26 15:30", GENEVA),
    ("26 September 2023 15h30", None, "2023-09-26 15:30", GENEVA),
    ("26 September 2023 15.00", None, "2023-09-26 15:00", GENEVA),
    ("26 September 2023 3 p.m.", None, "2023-09-26 15:00", GENEVA),
    ("26 September 2023 at 3 PM CEST", None, "2023-09-26 15:00", GENEVA),
    ("26 September 2023 03:30 PM", None, "2023-09-26 15:30", GENEVA),
    ("26 September 2023 3:30pm", None, "2023-09-26 15:30", GENEVA),
    ("26 September 2023 12am", None, "2023-09-26 00:00", GENEVA),
    ("26 September 2023 12pm", None, "2023-09-26 12:00", GENEVA),
    ("26 September 2023 00:00", None, "2023-09-26 00:00", GENEVA),
    ("26 September 2023 15", None, "2023-09-26 15:00", GENEVA),
    ("26 September 2023 15:00:30", None, "2023-09-26 15:00", GENEVA),  # seconds in prose are dropped
    # ISO 8601 and RFC 3339
    ("2023-09-26 3:00", None, "2023-09-26 03:00", GENEVA),
    ("2023-09-26T15:00:00", None, "2023-09-26 15:00", GENEVA),
    ("2023-09-26 15:00:30", None, "2023-09-26 15:00:30", GENEVA),  # an ISO time keeps its seconds
    ("2023-09-26T15:00 CEST", None, "2023-09-26 15:00", GENEVA),
    ("Tuesday, 2023-09-26, 15:00", None, "2023-09-26 15:00", GENEVA),
    ("2023-09-26T15:00:00.000Z", None, "2023-09-26 15:00", "Etc/UTC"),
    # labels and offsets
    ("2023-09-26T13:00Z", None, "2023-09-26 13:00", "Etc/UTC"),
    ("2023-09-26 15:00Z", None, "2023-09-26 15:00", "Etc/UTC"),
    ("2023-09-26 15:00 UTC", None, "2023-09-26 15:00", "Etc/UTC"),
    ("26 September 2023 13:00 UTC", None, "2023-09-26 13:00", "Etc/UTC"),
    ("2023-09-26 15:00 +02:00", None, "2023-09-26 15:00", "Etc/GMT-2"),
    ("26 September 2023 15:00 +0200", None, "2023-09-26 15:00", "Etc/GMT-2"),
    ("26 September 2023 15:00 GMT+2", None, "2023-09-26 15:00", "Etc/GMT-2"),
    ("26 September 2023 15:00 UTC-4", None, "2023-09-26 15:00", "Etc/GMT+4"),
    ("Tue, 26 Sep 2023 15:00:00 +0200", None, "2023-09-26 15:00", "Etc/GMT-2"),
    ("26 September 2023 15:00 (CEST)", None, "2023-09-26 15:00", GENEVA),
    ("26 September 2023, 15:00 CEST.", None, "2023-09-26 15:00", GENEVA),
    ("16 November 2023 15:00 CET", None, "2023-11-16 15:00", GENEVA),
    ("29 October 2023 02:30 CEST", None, "2023-10-29 02:30", "Etc/GMT-2"),  # the fold: the label picks
    ("29 October 2023 02:30 CET", None, "2023-10-29 02:30", "Etc/GMT-1"),
    # --from
    ("2024-03-12 09:00", "America/New_York", "2024-03-12 09:00", "America/New_York"),
    ("26 September 2023 09:00 EDT", "America/New_York", "2023-09-26 09:00", "America/New_York"),
    ("2023-09-26T15:00+02:00", GENEVA, "2023-09-26 15:00", "Etc/GMT-2"),
]

_CANNOT_READ = '; write it like "26 September 2023 15:00 CEST" or "2023-09-26 15:00"'
_NO_FULL_DATE = ' has no full date; give day, month and year, e.g. "26 September 2023 15:00"'
_NO_TIME = ' has no time of day; add the time, e.g. "26 September 2023 15:00 CEST"'
_NUMERIC = (': a numeric date such as 10/11/2024 is read as 10 November in Geneva and 11 October in New York; '
            'write the month as a word ("10 November 2024") or as 2024-11-10')
_NOT_ISO = " is not a date and time; write YYYY-MM-DD HH:MM, e.g. 2023-09-26 15:00"

# (WHEN, --from or None, what `som convert` prints after "som: error: ")
REFUSED = [
    # numeric dates
    ("10/11/2024 15:00", None, "`10/11/2024 15:00`" + _NUMERIC),
    ("26.09.2023 15:00", None, "`26.09.2023 15:00`" + _NUMERIC),
    ("11-10-2024 15:00", None, "`11-10-2024 15:00`" + _NUMERIC),
    # a part missing
    ("", None, 'no date and time given; write it like "26 September 2023 15:00 CEST"'),
    ("   ", None, 'no date and time given; write it like "26 September 2023 15:00 CEST"'),
    ("26 September 2023", None, "`26 September 2023`" + _NO_TIME),
    ("2023-09-26", None, "`2023-09-26`" + _NO_TIME),
    ("Tuesday, 26 September 2023", None, "`Tuesday, 26 September 2023`" + _NO_TIME),
    ("Monday, 26 September 2023", None, "`Monday, 26 September 2023`" + _NO_TIME),
    ("15:00", None, "`15:00`" + _NO_FULL_DATE),
    ("15:00 CEST", None, "`15:00`" + _NO_FULL_DATE),
    ("September 2023 15:00", None, "`September 2023 15:00`" + _NO_FULL_DATE),
    ("Tuesday 15:00", None, "`Tuesday 15:00` names a weekday but no date; write the date, or pass --week 2025-09-22"),
    ("mardi 15 h 00", None, "`mardi 15 h 00` names a weekday but no date; write the date, or pass --week 2025-09-22"),
    ("26 September 23 15:00", None, "`26 September 23 15:00`" + _NO_FULL_DATE),  # 23: the year, or 23:00?
    ("2023 15:00", None, "`2023 15:00`" + _NO_FULL_DATE),
    # a weekday that is not the date's
    ("Monday, 26 September 2023, 15:00", None,
     "`Monday, 26 September 2023, 15:00`: 26 September 2023 is a Tuesday, not a Monday; check the date"),
    ("Mon 26 Sep 2023 3pm CEST", None, "`Mon 26 Sep 2023 3pm`: 26 September 2023 is a Tuesday, not a Monday; check the date"),
    # not a date, not a time
    ("31 September 2023 15:00", None, "cannot read `31 September 2023 15:00` as a date and time" + _CANNOT_READ),
    ("29 February 2023 15:00", None, "cannot read `29 February 2023 15:00` as a date and time" + _CANNOT_READ),
    ("Sunday, 31 September 2023, 15:00", None,
     "cannot read `Sunday, 31 September 2023, 15:00` as a date and time" + _CANNOT_READ),
    ("26 Sepember 2023 15:00", None, "cannot read `26 Sepember 2023 15:00` as a date and time" + _CANNOT_READ),
    ("26 September 2023 25:00", None, "cannot read `26 September 2023 25:00` as a date and time" + _CANNOT_READ),
    ("26 September 2023 15:61", None, "cannot read `26 September 2023 15:61` as a date and time" + _CANNOT_READ),
    ("26 September 2023 13pm", None, "cannot read `26 September 2023 13pm` as a date and time" + _CANNOT_READ),
    ("26 September 2023 24:00", None, "cannot read `26 September 2023 24:00` as a date and time" + _CANNOT_READ),
    ("26 September 2023 noon", None, "cannot read `26 September 2023 noon` as a date and time" + _CANNOT_READ),
    ("26 September 2023 15:00 Foo", None, "cannot read `26 September 2023 15:00 Foo` as a date and time" + _CANNOT_READ),
    ("26 September 2023 15:00 to 17:00", None,
     "cannot read `26 September 2023 15:00 to 17:00` as a date and time" + _CANNOT_READ),
    ("tomorrow 15:00", None, "cannot read `tomorrow 15:00` as a date and time" + _CANNOT_READ),
    ("soon", None, "cannot read `soon` as a date and time" + _CANNOT_READ),
    ("2023-02-30 15:00", None, "`2023-02-30 15:00`" + _NOT_ISO),
    ("2023-09-26 24:00", None, "`2023-09-26 24:00`" + _NOT_ISO),
    # labels
    ("16 November 2023 15:00 CEST", None,
     "`16 November 2023 15:00 CEST`: Geneva is on CET (UTC+01:00) on 16 November 2023, not CEST; 15:00 UTC+02:00 is "
     "14:00 CET; write 15:00 CET if the local time is right, or 14:00 CET if the label is"),
    ("2023-09-26 15:00 CET", None,
     "`2023-09-26 15:00 CET`: Geneva is on CEST (UTC+02:00) on 26 September 2023, not CET; 15:00 UTC+01:00 is "
     "16:00 CEST; write 15:00 CEST if the local time is right, or 16:00 CEST if the label is"),
    ("26 September 2023 15:00 IST", None,
     "`26 September 2023 15:00 IST`: Geneva is on CEST (UTC+02:00) on 26 September 2023, and `IST` means different "
     "offsets in different places; write CEST"),
    ("26 September 2023 15:00 UTC+15", None, "`UTC+15` is not a UTC offset; offsets run from UTC-12:00 to UTC+14:00"),
    ("26 September 2023 09:00 EDT", None,
     "`26 September 2023 09:00 EDT`: Geneva does not use EDT; name the zone with --from, e.g. --from America/New_York"),
    # a city names the zone, and the label is checked against it
    ("2023-09-26 15:00 CEST (New York time)", None,
     "`2023-09-26 15:00 CEST`: New York is on EDT (UTC-04:00) on 26 September 2023, not CEST; 15:00 UTC+02:00 is "
     "09:00 EDT; write 15:00 EDT if the local time is right, or 09:00 EDT if the label is"),
    ("2023-09-26 15:00 Tokyo time", "America/New_York",
     "`2023-09-26 15:00 Tokyo time` says it is Tokyo time (Asia/Tokyo), but the zone given is America/New_York; "
     "leave out one of the two"),
    ("2023-09-26 15:00 (Atlantis time)", None,
     "`2023-09-26 15:00 (Atlantis time)` names Atlantis time, and som knows no time zone of that name; "
     "name the zone it is written in with --from"),
    # still ambiguous: a numeric day/month without a year, a time of day in words
    ("10/11 15:00", None, "`10/11 15:00`" + _NUMERIC),
    ("26 September 2023 noon-ish", None,
     "cannot read `26 September 2023 noon-ish` as a date and time" + _CANNOT_READ),
    ("Tuesday 23 September 15:00", "--year 2026",
     "`Tuesday 23 September 15:00`: 23 September 2026 (no year written; read as 23 September 2026, in the year "
     "given) is a Wednesday, not a Tuesday; write the year"),
    ("26 September 2023 09:00 EDT", GENEVA,
     "`26 September 2023 09:00 EDT`: Zurich is on CEST (UTC+02:00) on 26 September 2023, not EDT; 09:00 UTC-04:00 is "
     "15:00 CEST; write 09:00 CEST if the local time is right, or 15:00 CEST if the label is"),
    ("2023-09-26T15:00+03:00", GENEVA,
     "`2023-09-26T15:00+03:00`: Zurich is on CEST (UTC+02:00) on 26 September 2023, not UTC+03:00; 15:00 UTC+03:00 is "
     "14:00 CEST; write 15:00 CEST if the local time is right, or 14:00 CEST if the label is"),
    # wall times the clocks skip or repeat
    ("26 March 2023 02:30", None,
     "`26 March 2023 02:30`: 02:30 does not exist in Geneva on 26 March 2023 (the clocks go forward); it would be "
     "03:30 CEST (01:30 UTC) if read as UTC+01:00 or 01:30 CET (00:30 UTC) if read as UTC+02:00; "
     "pick a time outside the hour the clocks skip"),
    ("29 October 2023 02:30", None,
     "`29 October 2023 02:30`: 02:30 happens twice in Geneva on 29 October 2023 (the clocks go back): "
     "02:30 CEST (00:30 UTC) or 02:30 CET (01:30 UTC); add the label, e.g. `02:30 CET`, or pick another time"),
    ("10 March 2024 02:30", "America/New_York",
     "`10 March 2024 02:30`: 02:30 does not exist in New York on 10 March 2024 (the clocks go forward); it would be "
     "03:30 EDT (07:30 UTC) if read as UTC-05:00 or 01:30 EST (06:30 UTC) if read as UTC-04:00; "
     "pick a time outside the hour the clocks skip"),
]



@functools.cache
def expected_utc() -> dict:
    """GNU date's answer for every accepted form, from one run of `date`."""
    answers = oracle.utc_of_local_many([(wall, zone) for _, _, wall, zone in ACCEPTED])
    return {(when, from_zone): utc for (when, from_zone, _, _), utc in zip(ACCEPTED, answers)}


def _from(from_zone):
    """The options of a row: a zone for --from, or options as written ("--year 2026")."""
    if from_zone and from_zone.startswith("--"):
        return from_zone.split()
    return ["--from", from_zone] if from_zone else []


@pytest.mark.parametrize("when, from_zone, wall, zone", ACCEPTED)
def test_accepted_forms_give_the_instant_gnu_date_gives(runner, when, from_zone, wall, zone):
    want = expected_utc()[(when, from_zone)]
    parsed = parse_when(when, resolve_zone(from_zone or GENEVA), zone_given=bool(from_zone),
                        place=None if from_zone else "Geneva")
    assert parsed.instant.astimezone(UTC) == want
    result = runner("convert", when, *_from(from_zone), "--to", "Asia/Tokyo", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["utc"] == want.strftime("%Y-%m-%dT%H:%MZ")


@pytest.mark.parametrize("when, from_zone, message", REFUSED)
def test_refused_forms_say_why_in_one_line(runner, when, from_zone, message):
    result = runner("convert", when, *_from(from_zone), "--to", "Asia/Tokyo")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"som: error: {message}\n"


# --- what secretaries type: no year, a weekday alone, a city for the zone, French -----------------

_NEXT = "no year written: read as {}, the next {} from today ({})"
_IN_YEAR = "no year written: read as {}, in the year given"
_IN_WEEK = "a weekday alone: read as {}, in the week given"

# (WHEN, options, today, the wall time it names, the zone of that wall time for GNU date, the note
# som prints on stderr about what it filled in, or None). Each date and weekday was checked by hand
# against `cal`; the instants come from GNU date.
PROSE = [
    # the year: the next occurrence from today, or --year
    ("3pm CEST on 26 Sept", "", "2025-09-01", "2025-09-26 15:00", GENEVA,
     _NEXT.format("26 September 2025", "26 September", "2025-09-01")),
    ("3pm CEST on 26 Sept", "", "2025-09-26", "2025-09-26 15:00", GENEVA,  # today itself is the next
     _NEXT.format("26 September 2025", "26 September", "2025-09-26")),
    ("3pm CEST on 26 Sept", "", "2025-09-27", "2026-09-26 15:00", GENEVA,
     _NEXT.format("26 September 2026", "26 September", "2025-09-27")),
    ("3pm CEST on 26 Sept", "--year 2024", "2025-09-01", "2024-09-26 15:00", GENEVA,
     _IN_YEAR.format("26 September 2024")),
    ("26 September 15:00", "", "2023-01-10", "2023-09-26 15:00", GENEVA,
     _NEXT.format("26 September 2023", "26 September", "2023-01-10")),
    ("Sep 26 at 3pm", "", "2023-01-10", "2023-09-26 15:00", GENEVA,
     _NEXT.format("26 September 2023", "26 September", "2023-01-10")),
    ("26th of September at 3 pm", "", "2023-01-10", "2023-09-26 15:00", GENEVA,
     _NEXT.format("26 September 2023", "26 September", "2023-01-10")),
    ("Tuesday 23 September 15:00", "", "2025-06-01", "2025-09-23 15:00", GENEVA,
     _NEXT.format("23 September 2025", "23 September", "2025-06-01")),
    ("29 Feb 15:00", "", "2025-03-01", "2028-02-29 15:00", GENEVA,
     _NEXT.format("29 February 2028", "29 February", "2025-03-01")),
    ("12 November 15:00 CET", "", "2024-11-13", "2025-11-12 15:00", GENEVA,
     _NEXT.format("12 November 2025", "12 November", "2024-11-13")),
    # a weekday alone, in --week (any day of the week: its Monday to Sunday)
    ("Tuesday 15:00 Geneva time", "--week 2025-09-22", "2025-01-01", "2025-09-23 15:00", GENEVA,
     _IN_WEEK.format("Tuesday 23 September 2025")),
    ("Tuesday 15:00 Geneva time", "--week 2025-09-28", "2025-01-01", "2025-09-23 15:00", GENEVA,
     _IN_WEEK.format("Tuesday 23 September 2025")),
    ("Monday 9am", "--week 2025-10-31", "2025-01-01", "2025-10-27 09:00", GENEVA,
     _IN_WEEK.format("Monday 27 October 2025")),
    ("mercredi 14 h 00 (heure de Genève)", "--week 2025-09-22", "2025-01-01", "2025-09-24 14:00", GENEVA,
     _IN_WEEK.format("Wednesday 24 September 2025")),
    ("Tuesday 15:00 UTC", "--week 2025-09-22", "2025-01-01", "2025-09-23 15:00", "Etc/UTC",
     _IN_WEEK.format("Tuesday 23 September 2025")),
    # a city names the zone
    ("24 September 2024 15:00 (Geneva time)", "", "2025-01-01", "2024-09-24 15:00", GENEVA, None),
    ("2023-09-26 15:00 (Geneva time)", "", "2025-01-01", "2023-09-26 15:00", GENEVA, None),
    ("26 September 2023 15:00 Tokyo time", "", "2025-01-01", "2023-09-26 15:00", "Asia/Tokyo", None),
    ("3pm Tokyo time on 26 Sept", "--year 2025", "2025-01-01", "2025-09-26 15:00", "Asia/Tokyo",
     _IN_YEAR.format("26 September 2025")),
    ("15:00 Nairobi time, 6 March 2024", "", "2025-01-01", "2024-03-06 15:00", "Africa/Nairobi", None),
    ("9 Oct 09:00 New York time", "", "2025-10-10", "2026-10-09 09:00", "America/New_York",
     _NEXT.format("09 October 2026", "9 October", "2025-10-10")),
    ("26 September 2023 09:00 EDT (New York time)", "", "2025-01-01", "2023-09-26 09:00", "America/New_York", None),
    ("2023-09-26 15:00 Geneva time", "--from Europe/Zurich", "2025-01-01", "2023-09-26 15:00", GENEVA, None),
    # French
    ("mardi 23 septembre 2025, 15 h 00 (heure de Genève)", "", "2025-01-01", "2025-09-23 15:00", GENEVA, None),
    ("le 1er octobre 2025 à 15h00", "", "2025-01-01", "2025-10-01 15:00", GENEVA, None),
    ("26 Septembre 2023 15:00", "", "2025-01-01", "2023-09-26 15:00", GENEVA, None),
    ("jeudi 11 décembre 2025, 10 h 30 heure de Genève", "", "2025-01-01", "2025-12-11 10:30", GENEVA, None),
    ("4 juillet 2025 9 h", "", "2025-01-01", "2025-07-04 09:00", GENEVA, None),
    ("15 août 2025 15:00", "", "2025-01-01", "2025-08-15 15:00", GENEVA, None),
    ("3 mars 2026 à 14 h 00", "", "2025-01-01", "2026-03-03 14:00", GENEVA, None),
    ("lundi 2 février 2026, 15 h (heure de Genève)", "", "2025-01-01", "2026-02-02 15:00", GENEVA, None),
    ("mardi 23 septembre, 15 h 00", "", "2025-06-01", "2025-09-23 15:00", GENEVA,
     _NEXT.format("23 September 2025", "23 September", "2025-06-01")),
    # times as minutes of meetings write them
    ("23 Sept. 2025 15.00 hrs", "", "2025-01-01", "2025-09-23 15:00", GENEVA, None),
    ("23 September 2025, 3 p.m. CEST", "", "2025-01-01", "2025-09-23 15:00", GENEVA, None),
]


@functools.cache
def prose_utc() -> list:
    return oracle.utc_of_local_many([(wall, zone) for _, _, _, wall, zone, _ in PROSE])


@pytest.mark.parametrize("index", range(len(PROSE)), ids=[f"{w} {o}".strip() for w, o, *_ in PROSE])
def test_prose_forms_give_the_instant_gnu_date_gives(runner, monkeypatch, index):
    from datetime import date

    from agenda.effects import clock

    when, options, today, _, _, note = PROSE[index]
    monkeypatch.setattr(clock, "today", lambda: date.fromisoformat(today))
    result = runner("convert", when, *options.split(), "--to", "Asia/Tokyo", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["utc"] == prose_utc()[index].strftime("%Y-%m-%dT%H:%MZ")
    assert result.stderr == (f"som: note: `{when}`: {note}\n" if note else "")
