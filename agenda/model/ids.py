"""Ids made from text: a meeting id read from a report, segment and task ids from titles.

Every id som makes this way passes `load.check_id` (ids become file names and UIDs), so a
meeting file som writes always loads again.
"""

from __future__ import annotations

import re

from agenda.read.load import SAFE_ID, WINDOWS_RESERVED

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
