"""The checklist as a table, JSON, Markdown and iCalendar to-dos."""

from __future__ import annotations

from datetime import datetime, timedelta

from agenda.model.ids import segment_uid
from agenda.model.meeting import Meeting
from agenda.plan.checklist import SOON_DAYS, Checklist, ChecklistTask, _day, _offset_text
from agenda.render import ics
from agenda.render.output import Report, Table, to_markdown

CHECKLIST_COLUMNS = ("ID", "Due", "Day", "Segment", "Task", "Owner", "Status", "Note")
PRODID = "-//som//preparation checklist//EN"


def checklist_report(checklist: Checklist):

    rows = [[t.id, t.due.isoformat(), f"{t.due:%a}", t.segment or "", t.title, t.owner,
             t.status if checklist.today is not None or t.done else "", t.note] for t in checklist.tasks]
    when = f" (as of {checklist.today.isoformat()})" if checklist.today else ""
    table = Table(CHECKLIST_COLUMNS, rows, title=f"Preparation checklist — {checklist.meeting.title}{when}",
                  footer=[checklist.summary] + ([checklist.calendar.note] if checklist.calendar.note else []),
                  csv_only=1)
    return Report([table], checklist_json(checklist))


def checklist_json(checklist: Checklist) -> dict:
    return {
        "meeting": checklist.meeting.id,
        "today": checklist.today.isoformat() if checklist.today else None,
        "holidays": checklist.calendar.name,
        "tasks": [{
            "id": t.id,
            "title": t.title,
            "segment": t.segment,
            "due": t.due.isoformat(),
            "owner": t.owner,
            "done": t.done,
            "status": t.status if checklist.today is not None or t.done else None,
            "overdue": t.overdue,
            "due_soon": t.due_soon,
            "past": t.past,
            "moved_from": t.moved_from.isoformat() if t.moved_from else None,
            "moved_reason": t.moved_reason,
        } for t in checklist.tasks],
    }


def checklist_markdown(checklist: Checklist) -> str:

    return to_markdown(checklist_report(checklist))


def task_summary(checklist: Checklist, task: ChecklistTask) -> str:
    """The title with its segment: every segment has a "Confirm the document forecast"."""
    if task.segment is None:
        return task.title
    segment = checklist.meeting.segment(task.segment)
    # a template task comes from a segment; the loader refuses a [[task]] naming no segment of the file
    assert segment is not None
    return f"{task.title} — {segment.title}"


def task_uid(meeting: Meeting, task: ChecklistTask, *, as_event: bool = False) -> str:
    # Different UIDs for the two forms: a calendar server refuses one UID on a VTODO and a VEVENT.
    return f"{'deadline' if as_event else 'todo'}.{task.id}.{meeting.id}@som"


def checklist_ics(checklist: Checklist, as_events: bool = False, *, stamp: datetime | None = None) -> bytes:
    """One VTODO per task, or (as_events) one all-day transparent VEVENT per task. `stamp`:
    DTSTAMP (agenda.effects.clock.build_stamp), else meeting.document_stamp."""
    meeting = checklist.meeting
    stamp = stamp or meeting.document_stamp
    components: list[ics.Todo | ics.DayEvent] = []
    for task in checklist.tasks:
        related = segment_uid(meeting.id, task.segment) if task.segment else None
        if as_events:
            summary = task_summary(checklist, task)
            components.append(ics.DayEvent(
                task_uid(meeting, task, as_event=True), stamp, task.due,
                f"Done: {summary}" if task.done else summary, _description(checklist, task),
                related_to=related, organizer=meeting.organizer))
        else:
            # iTIP PUBLISH wants DTSTART and PRIORITY on a VTODO (libical's restriction_check
            # insists). A start on the due day itself is read a day earlier by `ical`, which
            # wants it before DUE; a week before matches "due this week" and puts the task among
            # a client's current tasks in time. Priority 0 = undefined.
            components.append(ics.Todo(
                task_uid(meeting, task), stamp, task.due - timedelta(days=SOON_DAYS), task.due,
                task_summary(checklist, task), _description(checklist, task), done=task.done, priority=0,
                related_to=related, organizer=meeting.organizer))
    # PUBLISH requires an ORGANIZER in every component (RFC 5546): no METHOD without one.
    return ics.task_calendar_bytes(components, prodid=PRODID, name=f"{meeting.title}: preparation",
                                   method="PUBLISH" if meeting.organizer else None)


def _description(checklist: Checklist, task: ChecklistTask) -> str:
    lines = []
    segment = checklist.meeting.segment(task.segment) if task.segment else None
    if segment:
        lines.append(f"{segment.title}, {_day(segment.date)}: due {_offset_text(task.offset_days)}.")
    lines.append(f"Owner: {task.owner}.")
    if task.moved_from:
        lines.append(f"Due date {task.note}.")
    lines.append(f"Task id: {task.id}")
    return "\n".join(lines)
