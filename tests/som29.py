"""Counts of the bundled SOM29 meeting, read from its files as data, never through som.

The meeting file (calendars/som29.toml) and the member directory it names are read with
tomllib, so a count the tests expect changes with the data and not with the code under test:
add a segment, a lead entity or a member and the expected numbers follow; break the code that
counts them and the tests still fail.
"""

from __future__ import annotations

from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from agenda.plan.checklist import TEMPLATE  # the template is data: one task per entry and segment

ROOT = Path(__file__).resolve().parent.parent
CALENDARS = ROOT / "calendars"
MEETING = tomllib.loads((CALENDARS / "som29.toml").read_text(encoding="utf-8"))
DIRECTORY = tomllib.loads((CALENDARS / f"{MEETING['meeting']['members']}.toml").read_text(encoding="utf-8"))
assert "extends" not in DIRECTORY, "the bundled directory extends another: count that one's members too"

SEGMENTS = [s for s in MEETING["segment"] if s.get("status") != "cancelled"]
SEGMENT_IDS = [s["id"] for s in SEGMENTS]
MEMBERS = DIRECTORY["member"]
WITHOUT_EMAIL = [m for m in MEMBERS if not m.get("emails")]


def members_in(zone: str) -> int:
    return sum(1 for m in MEMBERS if m["timezone"] == zone)


def _items(items: list[dict]):
    for item in items:
        yield item
        yield from _items(item.get("item", []))


def leads(segment: dict) -> int:
    """Agenda items (at any depth) with a lead entity: one "Request input" task each."""
    return sum(1 for item in _items(segment.get("item", [])) if item.get("lead"))


def tasks_of(segment_id: str) -> int:
    """Checklist tasks of one segment: the template, one per item with a lead, and the meeting
    file's [[task]] tables for that segment that add a task (one with a template title overrides)."""
    segment = next(s for s in SEGMENTS if s["id"] == segment_id)
    return len(TEMPLATE) + leads(segment) + sum(1 for t in _added_tasks() if t.get("segment") == segment_id)


def _added_tasks() -> list[dict]:
    titles = {t.title.casefold() for t in TEMPLATE}
    return [t for t in MEETING.get("task", []) if t["title"].casefold() not in titles]


# Every checklist task: each segment's, and the meeting file's tasks of no segment.
TASKS = sum(tasks_of(s) for s in SEGMENT_IDS) + sum(1 for t in _added_tasks() if not t.get("segment"))
