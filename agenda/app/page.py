"""The pack's page (`index.html`), its bands (`schedule.svg`) and the history behind "time changed on …".

`history.json` keeps, per segment, the UTC instants the pack last showed and when they last
changed. A build reads it from the folder, compares, and writes it back: unchanged instants
keep their old entry, so a re-run gives the same bytes; a rescheduled segment gets the day of
the change (the same clock as the invitations' DTSTAMP: SOURCE_DATE_EPOCH, else now) and what
its time was.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from agenda.model.errors import SomError
from agenda.model.meeting import Meeting
from agenda.model.timeplan import parse_date
from agenda.render.page import PageInput, TimeChange, home_text, page_html, utc_z

HISTORY = "history.json"


def read_history(folder: Path) -> dict[str, dict]:
    """The history a previous build wrote; {} when there is none or it cannot be read (the
    page then shows no past changes, which is all it can know)."""
    try:
        data = json.loads((folder / HISTORY).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    segments = data.get("segments") if isinstance(data, dict) else None
    return {k: v for k, v in segments.items() if isinstance(v, dict)} if isinstance(segments, dict) else {}


def next_history(meeting: Meeting, before: dict[str, dict], today: date) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for segment in meeting.segments:
        now = {"start_utc": utc_z(segment.start), "end_utc": utc_z(segment.end), "time": home_text(meeting, segment)}
        old = before.get(segment.id)
        if old is None:
            out[segment.id] = {**now, "changed_on": None, "was": None}
        elif (old.get("start_utc"), old.get("end_utc")) != (now["start_utc"], now["end_utc"]):
            out[segment.id] = {**now, "changed_on": today.isoformat(), "was": str(old.get("time", ""))}
        else:
            out[segment.id] = {**now, "changed_on": old.get("changed_on"), "was": old.get("was")}
    return out


def history_bytes(meeting: Meeting, history: dict[str, dict]) -> bytes:
    payload = {"written_by": "som build", "meeting": meeting.id,
               "about": "when each segment's time last changed, for the page's \"time changed on …\"",
               "segments": history}
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def changes_of(history: dict[str, dict]) -> dict[str, TimeChange]:
    out = {}
    for segment_id, entry in history.items():
        try:
            if isinstance(entry.get("changed_on"), str):
                out[segment_id] = TimeChange(parse_date(entry["changed_on"], iso_only=True), str(entry.get("was") or ""))
        except (TypeError, ValueError, SomError):  # an entry edited by hand: no note rather than a wrong one
            continue
    return out


def schedule_svg(meeting: Meeting, lang: str = "en") -> bytes:
    """Every segment's 24-hour bands in one file, in `lang` (the page's language)."""
    from agenda.render import bands
    from agenda.render.language import Words

    words = Words(lang) if lang != "en" else None
    spans = [(bands.Span(f"b-{s.id}", s.title_in(lang), s.start, s.end, s.status == "cancelled"),
              bands.cities(meeting.members, meeting.zone, meeting.city, s.start)) for s in meeting.segments]
    return bands.bands_svg(spans, home_city=meeting.city, title=bands.schedule_title(meeting.title_in(lang), words),
                           standalone=True, words=words).encode("utf-8")


def page_bytes(inp: PageInput) -> bytes:
    return page_html(inp).encode("utf-8")
