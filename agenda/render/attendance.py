"""Attendance as people and scripts read it: a table per segment, the JSON document, and the
list of participants by entity that a meeting report annexes."""

from __future__ import annotations

from typing import Sequence

from agenda.plan.attendance import Attendance, SegmentAttendance, participants
from agenda.plan.invite import clock_span, zone_names
from agenda.render.output import Report, Table

COLUMNS = ("Segment", "Member", "City", "Status", "Who said what")
STYLES = {"accepted": "green", "tentative": "yellow", "declined": "red", "delegated": "cyan", "mixed": "magenta",
          "no-reply": "dim"}


def heading(seg: SegmentAttendance) -> str:
    s = seg.segment
    return (f"{s.title} ({s.id}), {s.start:%d %b %Y} {clock_span(s.start, s.end)} {zone_names(s.start, s.end)}, "
            f"SEQUENCE {seg.version.sequence}")


def attendance_json(attendance: Attendance) -> dict:
    return {
        "meeting": attendance.meeting.id,
        "segments": [{
            "id": seg.segment.id,
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


def attendance_report(attendance: Attendance, notes: list[str] | None = None) -> Report:
    tables = []
    for seg in attendance.segments:
        rows: list[Sequence[str]] = [[seg.segment.id, m.member.acronym, m.member.city, m.status,
                 "; ".join(r.describe() for r in m.replies)] for m in seg.members]
        tables.append(Table(COLUMNS, rows, title=heading(seg), footer=[seg.counts_text()],
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


def participants_report(attendance: Attendance) -> Report:
    """`List of participants`: entity (acronym) and the names under it."""
    people = participants(attendance)
    meeting = attendance.meeting
    segments = ", ".join(s.segment.title for s in attendance.segments)
    rows: list[Sequence[str]] = [[m.name, m.acronym, name] for m, names in people for name in names]
    payload = {"meeting": meeting.id, "segments": [s.segment.id for s in attendance.segments],
               "participants": [{"member": m.id, "acronym": m.acronym, "entity": m.name, "names": names}
                                for m, names in people]}
    table = Table(("Entity", "Acronym", "Name"), rows, title=f"List of participants — {meeting.title}: {segments}")
    return Report([table], payload)


def participants_text(attendance: Attendance, markdown: bool = False) -> str:
    """The annex as a report prints it: each entity, then its participants one a line."""
    people = participants(attendance)
    meeting = attendance.meeting
    segments = ", ".join(s.segment.title for s in attendance.segments)
    if markdown:
        out = [f"## List of participants", "", f"{meeting.title}: {segments}", ""]
        for m, names in people:
            out += [f"**{_md(m.name)} ({_md(m.acronym)})**", ""] + [f"- {_md(n)}" for n in names] + [""]
        if not people:
            out += ["No accepted replies yet.", ""]
        return "\n".join(out).rstrip("\n") + "\n"
    out = ["LIST OF PARTICIPANTS", "", f"{meeting.title}: {segments}", ""]
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
