"""The preparation checklist: UN meeting practice counted back (and forward) from each segment.

`build_checklist` applies the template to every segment, then the meeting file's `[[task]]`
tables (a task with a template task's title overrides it, any other is added), and moves each
due date off weekends and the home city's holidays to the working day before: the official
holidays of the duty-station calendar its members there name (when they all name the same one),
else the country's public holidays.
Renderings: `checklist_report` (table, md, csv), `checklist_json` and `checklist_ics`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from agenda.model.holidays import DayOff, HolidayCalendar, days_off_for
from agenda.model.errors import BadValue, SomError
from agenda.model.ids import slug
from agenda.model.meeting import MONDAY_TO_FRIDAY, Meeting, Segment, Task
from agenda.model.timeplan import date_from_match, match_date
from agenda.plan.schedule import select_segments

DEFAULT_OWNER = "Secretariat"
SOON_DAYS = 7  # "due this week": today up to and including today + 7 days
INPUT_OFFSET = -28  # T−4 weeks: request input from each agenda item's lead entity


@dataclass(frozen=True)
class TemplateTask:
    key: str  # the stable part of the task id: "<segment id>.<key>"
    title: str
    offset_days: int  # from the segment's date (in the home zone)


@dataclass(frozen=True)
class Phrase:
    """A phrase of ours with its values kept apart, so a renderer can say it in another language
    (render/checklist.py); `english` is the text the English output has always carried."""

    message: str
    values: tuple[tuple[str, str], ...] = ()
    # a value's translations from the meeting file (a title's `title_fr`), by value name
    translated: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @property
    def english(self) -> str:
        return self.message.format(**dict(self.values))

    def values_in(self, lang: str) -> dict[str, str]:
        """The values, each in `lang` where the meeting file translates it."""
        out = dict(self.values)
        for name, titles in self.translated:
            out[name] = next((text for code, text in titles if code == lang), out[name])
        return out


CANCEL_SERVICES_OFFSET = -14  # the template's "Last day to cancel paid services"

TEMPLATE = (
    TemplateTask("forecast", "Confirm the document forecast", -98),
    TemplateTask("submit-documents", "Submit pre-session documents for processing", -70),
    TemplateTask("invitations", "Send invitations and save-the-date", -56),
    TemplateTask("distribute-documents", "Distribute documents (provisional agenda, progress report)", -42),
    # here, at INPUT_OFFSET: one "Request input from <lead>" task per agenda item with a lead
    TemplateTask("confirm-speakers", "Confirm speakers", -14),
    TemplateTask("cancel-services", "Last day to cancel paid services", CANCEL_SERVICES_OFFSET),
    TemplateTask("test-platform", "Test the online platform", -7),
    TemplateTask("final-agenda", "Circulate the final agenda", -7),
    TemplateTask("reminders", "Send reminders", -1),
    TemplateTask("draft-summary", "Circulate the draft summary", 7),
    TemplateTask("final-report", "Issue the final report", 14),
)


@dataclass(frozen=True)
class ChecklistTask:
    id: str
    title: str
    segment: str | None  # segment id; None for a task of the whole meeting
    due: date
    owner: str
    done: bool = False
    overdue: bool = False  # not done, not past, and due before today (see task_status)
    due_soon: bool = False  # not done, not overdue, due within SOON_DAYS
    past: bool = False  # preparation for a segment that has already taken place
    moved_from: date | None = None  # the date before it moved off a weekend or holiday
    moved_reason: str | None = None  # "weekend", "National Day, a public holiday in Geneva"
    origin: str = "template"  # "template", "override" (template task changed by [[task]]), "file"
    offset_days: int | None = None  # from the segment's date, when the due date is relative
    phrase: Phrase | None = None  # the title as a phrase of ours; None: a title the meeting file gives
    moved_phrase: Phrase | None = None  # moved_reason as a phrase of ours

    @property
    def status(self) -> str:
        if self.done:
            return "done"
        if self.past:
            return "past"
        if self.overdue:
            return "overdue"
        return "due soon" if self.due_soon else "open"

    @property
    def note(self) -> str:
        if self.moved_from is None:
            return ""
        return f"moved from {_day(self.moved_from)} ({self.moved_reason})"


@dataclass(frozen=True)
class WorkingDays:
    """Which days the secretariat works: its weekdays minus its city's public holidays."""

    place: str | None  # "Geneva"
    country: str | None  # ISO 3166, None: weekends only
    subdivision: str | None
    workdays: frozenset[int] = MONDAY_TO_FRIDAY
    holidays_known: bool = True  # False: the `holidays` package has no calendar for the country
    duty_calendar: HolidayCalendar | None = None  # the home city's members' official holidays

    @property
    def name(self) -> str:
        if self.duty_calendar is not None:
            return self.duty_calendar.name
        if self.country is None:
            return "weekends only"
        return self.code if self.holidays_known else f"{self.code} (no public holidays known: weekends only)"

    @property
    def code(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else str(self.country)

    @property
    def note(self) -> str | None:
        """What the reader should know about the due dates, as `som check` says "not checked"."""
        if self.country is None or self.holidays_known or self.duty_calendar is not None:
            return None
        return (f"The `holidays` package has no calendar for {self.code}: public holidays of {self.code} are "
                f"not known, so due dates were moved off non-working days only.")


@dataclass(frozen=True)
class Checklist:
    meeting: Meeting
    today: date | None  # None: no overdue/due-soon status (for files that must not change daily)
    tasks: tuple[ChecklistTask, ...]
    calendar: WorkingDays

    def count(self, status: str) -> int:
        return sum(1 for t in self.tasks if t.status == status)

    @property
    def summary(self) -> str:
        open_ = sum(1 for t in self.tasks if not t.done and not t.past)
        done = self.count("done")
        if self.today is None:
            return f"{open_} open, {done} done"
        past = f"{self.count('past')} past, " if self.count("past") else ""
        return (f"{self.count('overdue')} overdue, {self.count('due soon')} due this week, {open_} open, "
                f"{past}{done} done")


# --- building ------------------------------------------------------------------------------

def parse_today(text: str) -> date:
    """The day deadlines are counted from (`today`), given as text: an ISO date, YYYY-MM-DD."""
    text = text.strip()
    m = match_date(text, iso_only=True)
    if m:
        try:
            return date_from_match(m)
        except SomError:
            pass
    raise BadValue("today", text, "is not a date", hint="write it as YYYY-MM-DD", example="2023-09-20")


def working_days(meeting: Meeting) -> WorkingDays:
    """The home city's calendar, from the directory's members in that city (and zone)."""
    local = [m for m in meeting.members if m.city == meeting.city and m.zone.key == meeting.zone.key]
    if local:
        (country, subdivision, workdays), _ = Counter(
            (m.country, m.subdivision, m.workdays) for m in local).most_common(1)[0]
        calendars = {m.calendar for m in local}  # one calendar all agree on, else the country's
        duty = calendars.pop() if len(calendars) == 1 else None
        return WorkingDays(meeting.city, country, subdivision, workdays, duty_calendar=duty)
    if meeting.zone.key == "Europe/Zurich":  # the EMG's own case, even with a directory without Geneva
        return WorkingDays(meeting.city or "Geneva", "CH", "GE")
    return WorkingDays(meeting.city, None, None)


def _holidays(calendar: WorkingDays, years: tuple[int, ...]) -> dict[date, DayOff] | None:
    if calendar.country is None or not calendar.holidays_known:
        return None
    return days_off_for(calendar.duty_calendar, calendar.country, calendar.subdivision, calendar.place or "",
                        tuple(sorted(set(years))))


def _years(days) -> tuple[int, ...]:
    """The years a set of due dates can move into (a move goes back, across New Year at most)."""
    years = {d.year for d in days}
    return tuple(range(min(years) - 1, max(years) + 1)) if years else ()


def working_day_on_or_before(day: date, calendar: WorkingDays, holidays=None) -> tuple[date, str | None]:
    """`day` if the secretariat works then, else the working day before and why `day` is not one."""
    if holidays is None:
        holidays = _holidays(calendar, _years([day]))
    moved, why = _working_day(day, calendar, holidays)
    return moved, why.english if why else None


def _working_day(day: date, calendar: WorkingDays, holidays) -> tuple[date, Phrase | None]:
    why = _closed(day, calendar, holidays)
    if why is None:
        return day, None
    moved = day
    for _ in range(366):
        moved -= timedelta(days=1)
        if _closed(moved, calendar, holidays) is None:
            return moved, why
    raise SomError(f"no working day in the year before {day}", hint="check `workdays` in the member directory")


def _closed(day: date, calendar: WorkingDays, holidays) -> Phrase | None:
    if day.weekday() not in calendar.workdays:
        return Phrase("weekend" if day.weekday() >= 5 else "not a working day")
    off = holidays.get(day) if holidays else None
    if off is None or off.floating:
        return None
    if off.official:
        return Phrase("{holiday}, an official holiday at {place}" + (" (projected)" if off.projected else ""),
                      (("holiday", off.name), ("place", off.where)))
    if calendar.place:
        return Phrase("{holiday}, a public holiday in {place}", (("holiday", off.name), ("place", calendar.place)))
    return Phrase("{holiday}, a public holiday", (("holiday", off.name),))


def task_status(due: date, done: bool, today: date, held: date | None) -> str:
    """The status of a task on `today`, by the one rule `som checklist` and `som check` share:
    "done", "past", "overdue", "due soon" or "open".

    `held` is the date of the task's segment (None for a task of the whole meeting). Once a
    segment has taken place, the tasks due up to its date were its preparation: they are past,
    not overdue (nothing can be done about them now). Its follow-ups (due after it) are overdue
    like any task when open and past due.
    """
    if done:
        return "done"
    if held is not None and held < today and due <= held:
        return "past"
    if due < today:
        return "overdue"
    return "due soon" if (due - today).days <= SOON_DAYS else "open"


def build_checklist(meeting: Meeting, today: date | None = None, segment_ids=()) -> Checklist:
    segments = select_segments(meeting, tuple(segment_ids))
    wanted = {s.id for s in segments}
    tasks: list[ChecklistTask] = []
    for segment in meeting.segments:
        if segment.status != "cancelled":
            tasks += _template_tasks(meeting, segment)
        else:
            # Its preparation and follow-ups go; what a cancellation leaves the secretariat to do
            # is to release what was booked for it (interpreters, room, platform) before the
            # last day to cancel paid services, so that one task stays, worded for the case.
            title = Phrase("Cancel the paid services booked for {segment} (cancelled)", (("segment", segment.title),),
                           (("segment", segment.titles),))
            tasks.append(ChecklistTask(id=f"{segment.id}.cancel-services", segment=segment.id, title=title.english,
                                       due=segment.date + timedelta(days=CANCEL_SERVICES_OFFSET),
                                       owner=DEFAULT_OWNER, offset_days=CANCEL_SERVICES_OFFSET, phrase=title))
    tasks = _apply_file_tasks(meeting, tasks)
    if segment_ids:
        tasks = [t for t in tasks if t.segment in wanted]

    calendar = working_days(meeting)
    years = _years([t.due for t in tasks])
    holidays = _holidays(calendar, years)
    if holidays is None and calendar.country is not None:
        calendar = replace(calendar, holidays_known=False)
    # keyed by segment id; a task of the whole meeting has none: it sorts first, with no segment date
    order: dict[str | None, int] = {s.id: n for n, s in enumerate(meeting.segments)}
    held: dict[str | None, date] = {s.id: s.date for s in meeting.segments if s.status != "cancelled"}
    out = []
    for n, task in enumerate(tasks):
        due, why = _working_day(task.due, calendar, holidays)
        if why:
            task = replace(task, due=due, moved_from=task.due, moved_reason=why.english, moved_phrase=why)
        if today is not None:
            status = task_status(task.due, task.done, today, held.get(task.segment))
            task = replace(task, overdue=status == "overdue", due_soon=status == "due soon", past=status == "past")
        out.append((task.due, order.get(task.segment, -1), n, task))
    return Checklist(meeting, today, tuple(t for *_, t in sorted(out, key=lambda x: x[:3])), calendar)


def _template_tasks(meeting: Meeting, segment: Segment) -> list[ChecklistTask]:
    day = segment.date
    leads = {m.id: m for m in meeting.members}

    def task(key, title: Phrase, offset):
        return ChecklistTask(id=f"{segment.id}.{key}", title=title.english, segment=segment.id,
                             due=day + timedelta(days=offset), owner=DEFAULT_OWNER, offset_days=offset, phrase=title)

    out = [task(t.key, Phrase(t.title), t.offset_days) for t in TEMPLATE if t.offset_days < INPUT_OFFSET]
    for ref, item in _items_with_refs(segment.items):
        if item.lead:
            lead = leads[item.lead].acronym if item.lead in leads else item.lead
            out.append(task(f"input-{_title_id(ref)}", Phrase("Request input from {lead} on item {ref}: {title}",
                                                               (("lead", lead), ("ref", ref), ("title", item.title)),
                                                               (("title", item.titles),)),
                            INPUT_OFFSET))
    out += [task(t.key, Phrase(t.title), t.offset_days) for t in TEMPLATE if t.offset_days > INPUT_OFFSET]
    return out


def _items_with_refs(items, parent: str = "", depth: int = 1):
    from agenda.model.items import item_number

    for index, item in enumerate(items):
        ref = f"{parent} {item_number(index, depth)[1]}".strip()
        yield ref, item
        yield from _items_with_refs(item.items, ref, depth + 1)


def _apply_file_tasks(meeting: Meeting, tasks: list[ChecklistTask]) -> list[ChecklistTask]:
    source = meeting.source if meeting.source is not None else "calendars/som29.toml (bundled)"
    ids = {t.id for t in tasks}
    for ft in meeting.tasks:
        hits = [i for i, t in enumerate(tasks) if t.origin != "file" and t.title.casefold() == ft.title.casefold()
                and (ft.segment is None or t.segment == ft.segment)]
        for i in hits:
            old = tasks[i]
            due, offset = old.due, old.offset_days
            if ft.due is not None or ft.due_offset_days is not None:
                due, offset = _file_due(meeting, ft, old.segment), ft.due_offset_days
            tasks[i] = replace(old, due=due, offset_days=offset, owner=ft.owner or old.owner,
                               done=ft.done, origin="override")
        if hits:
            continue
        if ft.due is None and ft.due_offset_days is None:
            raise SomError(f"[[task]] `{ft.title}` has no `due` and is not a template task", file=source,
                           line=ft.line, hint='add due = "-3 days" (from its segment) or an ISO date; '
                                             "template titles are listed in `som checklist --help`")
        base = f"{ft.segment or 'meeting'}.{_title_id(ft.title)}"
        task_id, n = base, 1
        while task_id in ids:
            n += 1
            task_id = f"{base}-{n}"
        ids.add(task_id)
        tasks.append(ChecklistTask(id=task_id, title=ft.title, segment=ft.segment,
                                   due=_file_due(meeting, ft, ft.segment), owner=ft.owner or DEFAULT_OWNER,
                                   done=ft.done, origin="file", offset_days=ft.due_offset_days))
    return tasks


def _file_due(meeting: Meeting, task: Task, segment_id: str | None) -> date:
    if task.due is not None:
        return task.due
    # Called only for a task with a `due`; the loader refuses a relative one without a segment
    # of the file, and a template task always has its segment.
    assert task.due_offset_days is not None and segment_id is not None
    segment = meeting.segment(segment_id)
    assert segment is not None
    return segment.date + timedelta(days=task.due_offset_days)


def _title_id(text: str) -> str:
    """A task id's part from a title; a title without a letter or digit gets one from its hash."""
    return slug(text, "t-" + hashlib.sha1(text.encode()).hexdigest()[:8])


# --- views ---------------------------------------------------------------------------------

def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _offset_text(days: int | None) -> str:
    if days is None:
        return "a fixed date"
    if days % 7 == 0:
        n, unit = abs(days) // 7, "week"
    else:
        n, unit = abs(days), "day"
    side = "before" if days < 0 else "after"
    return f"{n} {unit}{'s' if n != 1 else ''} {side} the segment"




