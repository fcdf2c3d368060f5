"""The one clock som reads: SOURCE_DATE_EPOCH, the wall clock, and what each kind of output makes of them.

Re-running on the same meeting must give the same bytes, so generated files never take their
stamp from the wall clock unless asked to. `SOURCE_DATE_EPOCH` (the reproducible-builds
convention) is read here and only here, so every command reads it the same way.

- A generated document (agenda, checklist): `build_stamp` — SOURCE_DATE_EPOCH if set, else
  1 January, 00:00 UTC, of the year of the meeting's first segment.
- A new version of an invitation (agenda.plan.invite): its DTSTAMP is when it is issued —
  SOURCE_DATE_EPOCH if set, else now. RFC 5546 orders versions of an event by SEQUENCE and
  DTSTAMP, so a fixed date would make a re-issued invitation look no newer than the last;
  unchanged invitations stay byte-stable because their DTSTAMP is read back from the record.
- The day deadlines are counted from (checklist, check): `today`, unless the user names one.

Everything below agenda.effects takes the time it needs as an argument.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

from agenda.model.errors import SomError
from agenda.model.meeting import Meeting


def source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH as an aware UTC datetime (whole seconds); None when unset or blank."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise SomError(f"SOURCE_DATE_EPOCH is `{epoch}`, not a number of seconds since 1970",
                       hint="unset it, or set it to a Unix time such as `git log -1 --format=%ct`") from None


def now() -> datetime:
    """The wall clock: an aware UTC datetime, whole seconds."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def today() -> date:
    """The local date where som runs; tests replace it to freeze the clock."""
    return date.today()


def build_stamp(meeting: Meeting) -> datetime:
    """The created date of a generated document: an aware UTC datetime, whole seconds. The
    renderers take it as an argument; without one they use `meeting.document_stamp`."""
    return source_date_epoch() or meeting.document_stamp
