"""Attendance as people and scripts read it: a table per segment, the JSON document, and the
list of participants by entity that a meeting report annexes."""

from __future__ import annotations

from typing import Sequence

from agenda.model.meeting import Member
from agenda.plan.attendance import Attendance, SegmentAttendance, participants, participants_by_segment
from agenda.plan.invite import clock_span, zone_names
from agenda.render.output import Report, Table

COLUMNS = ("Segment", "Member", "City", "Status", "Who said what")
STYLES = {"accepted": "green", "tentative": "yellow", "declined": "red", "delegated": "cyan", "mixed": "magenta",
          "no-reply": "dim"}


def heading(seg: SegmentAttendance, lines: bool = False) -> str:
    """`Technical Segment (technical), 31 Oct 2023 15:00–17:00 CET`. With `lines`, the date and
    time on a line of their own: a terminal wraps a title wider than its table at any space,
    and a time cut from its zone (`15:00–17:00` / `CET`) misleads; the second line is narrower
    than any attendance table, so it stays whole. (SEQUENCE is in the JSON, not here: it is
    jargon to a secretariat.)"""
    s = seg.segment
    when = f"{s.start:%d %b %Y} {clock_span(s.start, s.end)} {zone_names(s.start, s.end)}"
    return f"{s.title} ({s.id})" + ("\n" if lines else ", ") + when


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def read_summary(read: int, counted: int, ignored: int, known: int) -> str:
    """`read 3 messages: 1 reply counted, 2 ignored (listed below), 0 already recorded`."""
    listed = " (listed below)" if ignored else ""
    return (f"read {_count(read, 'message', 'messages')}: {_count(counted, 'reply', 'replies')} counted, "
            f"{ignored} ignored{listed}, {known} already recorded")


def attendance_json(attendance: Attendance) -> dict:
    return {
        "meeting": attendance.meeting.id,
        "segments": [{
            "id": seg.segment.id,
            "sequence": seg.version.sequence,
            "counts": seg.counts,
            "members": [{
                "member": m.member.id,
                "acronym": m.member.acronym,
                "status": m.status,
                "replies": [{"address": r.address, "partstat": r.partstat, "sequence": r.sequence, "stale": r.stale,
                             "received": r.received, "message_id": r.message_id} for r in m.replies],
            } for m in seg.members],
        } for seg in attendance.segments],
        "ignored": [{"source": i.source, "reason": i.reason} for i in attendance.ignored],
    }


def attendance_report(attendance: Attendance, notes: list[str] | None = None, *, terminal: bool = False) -> Report:
    """`terminal`: titles for a terminal table (see heading)."""
    tables = []
    for seg in attendance.segments:
        rows: list[Sequence[str]] = [[seg.segment.id, m.member.acronym, m.member.city, m.status,
                 "; ".join(r.describe() for r in m.replies)] for m in seg.members]
        tables.append(Table(COLUMNS, rows, title=heading(seg, lines=terminal), footer=[seg.counts_text()],
                            styles=[STYLES.get(m.status) for m in seg.members], csv_only=1))
    lines = list(notes or [])
    if not attendance.segments:
        lines.append("nothing issued yet: no segment to tally (issue the invitations first)")
    if attendance.without_address:
        n = len(attendance.without_address)
        lines.append(f"{n} member{' has' if n == 1 else 's have'} no e-mail address, so got no invitation "
                     "and cannot reply: not listed")
    if attendance.ignored:
        n = len(attendance.ignored)
        lines.append(f"{n} message{'' if n == 1 else 's'} not counted:")
        lines += [f"  {i.source}: {i.reason}" for i in attendance.ignored]
    return Report(tables, attendance_json(attendance), notes=lines)


def _when(seg: SegmentAttendance) -> str:
    """`Technical Segment — 31 Oct 2023, 15:00–17:00 CET`: the heading of a segment's list."""
    s = seg.segment
    return f"{s.title} — {s.start:%d %b %Y}, {clock_span(s.start, s.end)} {zone_names(s.start, s.end)}"


def _people(people: list[tuple[Member, list[str]]]) -> list[dict]:
    return [{"member": m.id, "acronym": m.acronym, "entity": m.name, "names": names} for m, names in people]


def participants_report(attendance: Attendance) -> Report:
    """`List of participants`: per segment, each entity (acronym) and the names under it; the
    JSON also gives everyone who accepted any segment (`participants`)."""
    by_segment = participants_by_segment(attendance)
    meeting = attendance.meeting
    rows: list[Sequence[str]] = [[seg.segment.id, m.name, m.acronym, name]
                                 for seg, people in by_segment for m, names in people for name in names]
    payload = {"meeting": meeting.id, "segments": [s.segment.id for s in attendance.segments],
               "participants": _people(participants(attendance)),
               "by_segment": [{"id": seg.segment.id, "title": seg.segment.title, "participants": _people(people)}
                              for seg, people in by_segment]}
    table = Table(("Segment", "Entity", "Acronym", "Name"), rows, title=f"List of participants — {meeting.title}",
                  csv_only=1)
    return Report([table], payload)


def participants_text(attendance: Attendance, markdown: bool = False) -> str:
    """The annex as a report prints it: per segment, each entity, then its participants one a line."""
    meeting = attendance.meeting
    if markdown:
        out = ["## List of participants", "", _md(meeting.title), ""]
        for seg, people in participants_by_segment(attendance):
            out += [f"### {_md(_when(seg))}", ""]
            for m, names in people:
                out += [f"**{_md(m.name)} ({_md(m.acronym)})**", ""] + [f"- {_md(n)}" for n in names] + [""]
            if not people:
                out += ["No accepted replies yet.", ""]
        return "\n".join(out).rstrip("\n") + "\n"
    out = ["LIST OF PARTICIPANTS", "", meeting.title, ""]
    for seg, people in participants_by_segment(attendance):
        out += [_when(seg), ""]
        for m, names in people:
            out += [f"{m.name} ({m.acronym})"] + [f"    {n}" for n in names] + [""]
        if not people:
            out += ["No accepted replies yet.", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def attendance_markdown(attendance: Attendance) -> str:
    """attendance.md of the pack."""
    from agenda.render.output import to_markdown

    report = attendance_report(attendance)
    return f"# {attendance.meeting.title}: attendance\n\n" + to_markdown(report)
