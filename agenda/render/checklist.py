"""The checklist as a table, JSON, Markdown and iCalendar to-dos."""

from __future__ import annotations

from datetime import datetime, timedelta

from agenda.model.ids import segment_uid
from agenda.model.meeting import Meeting
from agenda.plan.checklist import SOON_DAYS, Checklist, ChecklistTask, _day, _offset_text
from agenda.render.output import Report, Table, to_markdown

CHECKLIST_COLUMNS = ("ID", "Due", "Day", "Segment", "Task", "Owner", "Status", "Note")


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
    return f"{task.title} — {checklist.meeting.segment(task.segment).title}"


def task_uid(meeting: Meeting, task: ChecklistTask, *, as_event: bool = False) -> str:
    # Different UIDs for the two forms: a calendar server refuses one UID on a VTODO and a VEVENT.
    return f"{'deadline' if as_event else 'todo'}.{task.id}.{meeting.id}@som"


def checklist_ics(checklist: Checklist, as_events: bool = False, *, stamp: datetime | None = None) -> bytes:
    """One VTODO per task, or (as_events) one all-day transparent VEVENT per task. `stamp`:
    DTSTAMP (agenda.effects.clock.build_stamp), else meeting.document_stamp."""
    import icalendar

    meeting = checklist.meeting
    stamp = stamp or meeting.document_stamp
    cal = icalendar.Calendar()
    cal.add("prodid", "-//som//preparation checklist//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if meeting.organizer:  # PUBLISH requires an ORGANIZER in every component (RFC 5546)
        cal.add("method", "PUBLISH")
    name = f"{meeting.title}: preparation"
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    for task in checklist.tasks:
        comp = icalendar.Event() if as_events else icalendar.Todo()
        comp.add("uid", task_uid(meeting, task, as_event=as_events))
        comp.add("dtstamp", stamp)
        comp.add("sequence", 0)
        if as_events:
            summary = task_summary(checklist, task)
            comp.add("summary", f"Done: {summary}" if task.done else summary)
            comp.add("dtstart", task.due)
            comp.add("dtend", task.due + timedelta(days=1))
            comp.add("transp", "TRANSPARENT")
            comp.add("status", "CONFIRMED")
        else:
            comp.add("summary", task_summary(checklist, task))
            # iTIP PUBLISH wants DTSTART and PRIORITY on a VTODO (libical's restriction_check
            # insists). A start on the due day itself is read a day earlier by `ical`, which
            # wants it before DUE; a week before matches "due this week" and puts the task among
            # a client's current tasks in time. Priority 0 = undefined.
            comp.add("dtstart", task.due - timedelta(days=SOON_DAYS))
            comp.add("due", task.due)
            comp.add("priority", 0)
            comp.add("status", "COMPLETED" if task.done else "NEEDS-ACTION")
            if task.done:
                comp.add("percent-complete", 100)
        comp.add("description", _description(checklist, task))
        if task.segment:
            comp.add("related-to", segment_uid(meeting.id, task.segment))
        if meeting.organizer:
            organizer = icalendar.vCalAddress(f"mailto:{meeting.organizer.email}")
            organizer.params["cn"] = icalendar.vText(meeting.organizer.name)
            comp.add("organizer", organizer)
        cal.add_component(comp)
    return cal.to_ical()


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
