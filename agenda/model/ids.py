"""Ids and addresses: what a safe id is, the ids som makes from titles, and event UIDs.

Ids become file names and UIDs, so every id som makes from text passes the same SAFE_ID
check the loader applies (`agenda.read.load.check_id`), and a meeting file som writes always
loads again.
"""

from __future__ import annotations

import re

MAX_LENGTH = 48  # check_id allows 64: room for a fallback prefix or a "-2" suffix


def slug(text: str, fallback: str) -> str:
    """Lower-case letters and digits of `text`, other runs as '-': `Technical Segment` →
    `technical-segment`. `fallback` when nothing is left; prefixed to a name Windows reserves
    for a device (`con` → `meeting-con`)."""
    if not SAFE_ID.match(fallback) or fallback in WINDOWS_RESERVED or len(fallback) > 15:
        raise ValueError(f"fallback id {fallback!r} is not a short safe id")
    value = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:MAX_LENGTH].strip("-")
    if not value:
        return fallback
    if value in WINDOWS_RESERVED:  # no dots are left, so the whole name is the part before one
        return f"{fallback}-{value}"
    return value


# Ids become parts of file names and UIDs: keep them to what every file system accepts.
SAFE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")


WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                    *(f"lpt{i}" for i in range(1, 10))}


EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z")


def segment_uid(meeting_id: str, segment_id: str) -> str:
    """The UID of a segment's event in every file that carries it (invitations, feed, the
    checklist's RELATED-TO): stable for the life of the segment, from the two ids only, so it
    holds no personal data."""
    return f"{segment_id}.{meeting_id}@som"
