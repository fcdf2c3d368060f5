"""The one timestamp som writes into generated files (DTSTAMP, a document's created date).

Re-running on the same meeting must give the same bytes, so the stamp never comes from the
wall clock: `SOURCE_DATE_EPOCH` when the environment sets it (the reproducible-builds
convention), else 1 January, 00:00 UTC, of the year of the meeting's first segment.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from agenda.errors import SomError
from agenda.model import Meeting


def build_stamp(meeting: Meeting) -> datetime:
    """An aware UTC datetime, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise SomError(f"SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds since 1970",
                           hint="unset it, or set it to e.g. `git log -1 --format=%ct`") from None
    first = min(s.start for s in meeting.segments)
    return datetime(first.year, 1, 1, tzinfo=timezone.utc)
