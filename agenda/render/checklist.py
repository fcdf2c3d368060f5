"""The checklist as a table, JSON, Markdown and iCalendar to-dos, in one of the UN's languages.

English keeps the words the plan gives (byte for byte as before); another language says the
same from the catalogs (render/language.py): the template's task titles and every phrase of
ours, CLDR's dates, weekdays and "2 semaines". Titles the meeting file gives stay as written,
and JSON keys and status codes stay English (they are read by scripts).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from agenda.model.ids import segment_uid
from agenda.model.meeting import Meeting
from agenda.plan.checklist import DEFAULT_OWNER, SOON_DAYS, TEMPLATE, Checklist, ChecklistTask, _day, _offset_text
from agenda.render import ics
from agenda.render.language import Words
from agenda.render.output import Report, Table, to_markdown

CHECKLIST_COLUMNS = ("ID", "Due", "Day", "Segment", "Task", "Owner", "Status", "Note")
PRODID = "-//som//preparation checklist//EN"


def N_(message: str) -> str:
    """Marks a phrase for the catalogs where it is named, translated where it is used."""
    return message


# The plan's phrases, named here for the catalogs (tests/test_checklist_language.py holds them
# to plan/checklist.py's template): the template's titles, then the other titles and reasons.
TEMPLATE_TITLES = (N_("Confirm the document forecast"), N_("Submit pre-session documents for processing"),
                   N_("Send invitations and save-the-date"),
                   N_("Distribute documents (provisional agenda, progress report)"), N_("Confirm speakers"),
                   N_("Last day to cancel paid services"), N_("Test the online platform"),
                   N_("Circulate the final agenda"), N_("Send reminders"), N_("Circulate the draft summary"),
                   N_("Issue the final report"))
PLAN_PHRASES = (N_("Request input from {lead} on item {ref}: {title}"),
                N_("Cancel the paid services booked for {segment} (cancelled)"), N_("weekend"),
                N_("not a working day"), N_("{holiday}, an official holiday at {place}"),
                N_("{holiday}, an official holiday at {place} (projected)"),
                N_("{holiday}, a public holiday in {place}"), N_("{holiday}, a public holiday"))
COLUMNS = (N_("ID"), N_("Due"), N_("Day"), N_("Segment"), N_("Task"), N_("Owner"), N_("Status"), N_("Note"))
STATUSES = {"done": N_("done"), "past": N_("past"), "overdue": N_("overdue"), "due soon": N_("due soon"),
            "open": N_("open")}
OWNER = N_("Secretariat")


class Said:
    """The checklist's words in one language other than English."""

    def __init__(self, lang: str):
        self.words = Words(lang)

    def phrase(self, task: ChecklistTask) -> str:
        """A task's title: ours translated, the meeting file's as written."""
        if task.phrase is None:
            return task.title
        return self.words.say(task.phrase.message, **task.phrase.values_in(self.words.lang))

    def owner(self, task: ChecklistTask) -> str:
        return self.words.say("Secretariat") if task.owner == DEFAULT_OWNER else task.owner

    def status(self, task: ChecklistTask) -> str:
        return self.words.say(STATUSES[task.status])

    def reason(self, task: ChecklistTask) -> str | None:
        why = task.moved_phrase
        return self.words.say(why.message, **dict(why.values)) if why is not None else task.moved_reason

    def note(self, task: ChecklistTask) -> str:
        if task.moved_from is None:
            return ""
        return self.words.say("moved from {date} ({reason})", date=self.words.date_form(task.moved_from), reason=self.reason(task))

    def summary(self, checklist: Checklist) -> str:
        open_ = sum(1 for t in checklist.tasks if not t.done and not t.past)
        say = self.words.say
        parts = [say("open: {n}", n=open_), say("done: {n}", n=checklist.count("done"))]
        if checklist.today is not None:
            parts = [say("overdue: {n}", n=checklist.count("overdue")),
                     say("due this week: {n}", n=checklist.count("due soon")), parts[0]]
            if checklist.count("past"):
                parts.append(say("past: {n}", n=checklist.count("past")))
            parts.append(say("done: {n}", n=checklist.count("done")))
        return "; ".join(parts)

    def calendar_note(self, checklist: Checklist) -> list[str]:
        if not checklist.calendar.note:
            return []
        say = self.words.say
        return [say("The `holidays` package has no calendar for {code}: due dates avoid non-working days only.",
                    code=checklist.calendar.code)]

    def offset(self, days: int | None) -> str:
        """`2 semaines avant le segment`, as `_offset_text` says it in English."""
        if days is None:
            return self.words.say("on a fixed date")
        n, unit = (abs(days) // 7, "duration-week") if days % 7 == 0 else (abs(days), "duration-day")
        span = self.words.count_of(n, unit)
        return self.words.say("{span} before the segment", span=span) if days < 0 else \
            self.words.say("{span} after the segment", span=span)


def checklist_report(checklist: Checklist, lang: str = "en"):
    if lang != "en":
        return _report_in(Said(lang), checklist)
    rows = [[t.id, t.due.isoformat(), f"{t.due:%a}", t.segment or "", t.title, t.owner,
             t.status if checklist.today is not None or t.done else "", t.note] for t in checklist.tasks]
    when = f" (as of {checklist.today.isoformat()})" if checklist.today else ""
    table = Table(CHECKLIST_COLUMNS, rows, title=f"Preparation checklist — {checklist.meeting.title}{when}",
                  footer=[checklist.summary] + ([checklist.calendar.note] if checklist.calendar.note else []),
                  csv_only=1)
    return Report([table], checklist_json(checklist))


def _report_in(said: Said, checklist: Checklist) -> Report:
    """`checklist_report` in another language: the same rows and columns, our words translated."""
    say, words = said.words.say, said.words
    rows = [[t.id, t.due.isoformat(), words.date_form(t.due, "EEE"), t.segment or "", said.phrase(t), said.owner(t),
             said.status(t) if checklist.today is not None or t.done else "", said.note(t)] for t in checklist.tasks]
    meeting_title = checklist.meeting.title_in(words.lang)  # the meeting file's translation, if it gives one
    title = say("Preparation checklist — {title}", title=meeting_title)
    if checklist.today:
        title = say("Preparation checklist — {title} (as of {date})", title=meeting_title,
                    date=words.date_form(checklist.today))
    table = Table(tuple(say(c) for c in COLUMNS), rows, title=title,
                  footer=[said.summary(checklist)] + said.calendar_note(checklist), csv_only=1)
    return Report([table], checklist_json(checklist, said))


def checklist_json(checklist: Checklist, said: Said | None = None) -> dict:
    """The checklist for scripts; with `said`, its titles and reasons in that language (keys and
    status codes stay English)."""
    return {
        "meeting": checklist.meeting.id,
        "today": checklist.today.isoformat() if checklist.today else None,
        "holidays": checklist.calendar.name,
        "tasks": [{
            "id": t.id,
            "title": said.phrase(t) if said else t.title,
            "segment": t.segment,
            "due": t.due.isoformat(),
            "owner": said.owner(t) if said else t.owner,
            "done": t.done,
            "status": t.status if checklist.today is not None or t.done else None,
            "overdue": t.overdue,
            "due_soon": t.due_soon,
            "past": t.past,
            "moved_from": t.moved_from.isoformat() if t.moved_from else None,
            "moved_reason": said.reason(t) if said else t.moved_reason,
        } for t in checklist.tasks],
    }


def checklist_markdown(checklist: Checklist, lang: str = "en") -> str:

    return to_markdown(checklist_report(checklist, lang))


def task_summary(checklist: Checklist, task: ChecklistTask, said: Said | None = None) -> str:
    """The title with its segment: every segment has a "Confirm the document forecast"."""
    title = said.phrase(task) if said else task.title
    if task.segment is None:
        return title
    segment = checklist.meeting.segment(task.segment)
    # a template task comes from a segment; the loader refuses a [[task]] naming no segment of the file
    assert segment is not None
    return f"{title} — {segment.title_in(said.words.lang) if said else segment.title}"


def task_uid(meeting: Meeting, task: ChecklistTask, *, as_event: bool = False) -> str:
    # Different UIDs for the two forms: a calendar server refuses one UID on a VTODO and a VEVENT.
    return f"{'deadline' if as_event else 'todo'}.{task.id}.{meeting.id}@som"


def checklist_ics(checklist: Checklist, as_events: bool = False, *, stamp: datetime | None = None,
                  lang: str = "en") -> bytes:
    """One VTODO per task, or (as_events) one all-day transparent VEVENT per task. `stamp`:
    DTSTAMP (agenda.effects.clock.build_stamp), else meeting.document_stamp. In a language
    other than English, the text properties say which (LANGUAGE=fr)."""
    meeting = checklist.meeting
    stamp = stamp or meeting.document_stamp
    said = Said(lang) if lang != "en" else None
    language = lang if said else None
    components: list[ics.Todo | ics.DayEvent] = []
    for task in checklist.tasks:
        related = segment_uid(meeting.id, task.segment) if task.segment else None
        summary = task_summary(checklist, task, said)
        if as_events:
            if task.done:
                summary = said.words.say("Done: {task}", task=summary) if said else f"Done: {summary}"
            components.append(ics.DayEvent(
                task_uid(meeting, task, as_event=True), stamp, task.due, summary, _description(checklist, task, said),
                related_to=related, organizer=meeting.organizer, language=language))
        else:
            # iTIP PUBLISH wants DTSTART and PRIORITY on a VTODO (libical's restriction_check
            # insists). A start on the due day itself is read a day earlier by `ical`, which
            # wants it before DUE; a week before matches "due this week" and puts the task among
            # a client's current tasks in time. Priority 0 = undefined.
            components.append(ics.Todo(
                task_uid(meeting, task), stamp, task.due - timedelta(days=SOON_DAYS), task.due,
                summary, _description(checklist, task, said), done=task.done, priority=0,
                related_to=related, organizer=meeting.organizer, language=language))
    name = said.words.say("{title}: preparation", title=meeting.title_in(lang)) if said else f"{meeting.title}: preparation"
    # PUBLISH requires an ORGANIZER in every component (RFC 5546): no METHOD without one.
    return ics.task_calendar_bytes(components, prodid=PRODID, name=name,
                                   method="PUBLISH" if meeting.organizer else None, language=language)


def _description(checklist: Checklist, task: ChecklistTask, said: Said | None = None) -> str:
    if said is not None:
        return _description_in(said, checklist, task)
    lines = []
    segment = checklist.meeting.segment(task.segment) if task.segment else None
    if segment:
        lines.append(f"{segment.title}, {_day(segment.date)}: due {_offset_text(task.offset_days)}.")
    lines.append(f"Owner: {task.owner}.")
    if task.moved_from:
        lines.append(f"Due date {task.note}.")
    lines.append(f"Task id: {task.id}")
    return "\n".join(lines)


def _description_in(said: Said, checklist: Checklist, task: ChecklistTask) -> str:
    say = said.words.say
    lines = []
    segment = checklist.meeting.segment(task.segment) if task.segment else None
    if segment:
        lines.append(say("{segment}, {date}: due {when}.", segment=segment.title_in(said.words.lang), date=said.words.date_form(segment.date),
                         when=said.offset(task.offset_days)))
    lines.append(say("Owner: {owner}.", owner=said.owner(task)))
    if task.moved_from:
        lines.append(say("Due date {note}.", note=said.note(task)))
    lines.append(say("Task id: {id}", id=task.id))
    return "\n".join(lines)
