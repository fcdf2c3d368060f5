"""The whole meeting pack in one folder: the page (index.html), schedule, invitations, agenda,
checklist, and an index.

Everything but the invitations is made in memory first, so bad input stops the build before a
file is touched; then every target is checked (som never overwrites a file it did not write),
the invitations are issued through the same record `som invite` keeps, and the rest is written
file by file (each atomically). Re-running with nothing changed leaves every file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from agenda.model.errors import SomError
from agenda.effects.files import Content, OutputDir
from agenda.effects.clock import build_stamp
from agenda.model.meeting import LANGUAGES, Meeting, Segment
from agenda.plan.checklist import Phrase

if TYPE_CHECKING:
    from agenda.app.invite import InviteResult
    from agenda.plan.schedule import Schedule

INVITATIONS = "invitations"

# What stays with the secretariat when the pack is published: the preparation, who replied (the
# focal points' addresses, who declined), the per-member invitations (the attendees' addresses),
# the records behind the invitations and the build's own bookkeeping. A name ending in / is a
# folder. The members' page neither links nor names them; the secretariat's page lists them.
SECRETARIAT_FILES = ("index.md", "history.json", "checklist.md", "checklist.ics", "checklist-events.ics",
                     "attendance.md", "attendance.json", f"{INVITATIONS}/members/", f"{INVITATIONS}/som-issued.toml",
                     f"{INVITATIONS}/send-log.jsonl", f"{INVITATIONS}/som-replies.jsonl", ".som-files.json",
                     f"{INVITATIONS}/.som-files.json")


def for_members(name: str) -> bool:
    """Whether a file of the pack may be published to the members. `invitations/` alone is the
    index's note on invitations not written (no organizer, no addresses): the secretariat's."""
    if name == f"{INVITATIONS}/":
        return False
    return not any(name == kept or (kept.endswith("/") and name.startswith(kept)) for kept in SECRETARIAT_FILES)


@dataclass(frozen=True)
class PackFile:
    name: str  # relative to the pack folder, with / separators
    data: Content  # its bytes, or its bytes in parts (schedule.json)
    words: Phrase  # what it is: in English in index.md and the terminal, in the page's language on the page

    @property
    def what(self) -> str:
        return self.words.english


def said(message: str, segment: Segment | None = None, **values: str) -> Phrase:
    """A file's description (a phrase of render/page.py's FILE_PHRASES); with `segment`, its
    `{title}`, translated where the meeting file translates it."""
    if segment is None:
        return Phrase(message, tuple(values.items()))
    return Phrase(message, tuple({**values, "title": segment.title}.items()), (("title", segment.titles),))


@dataclass
class BuildResult:
    folder: Path
    files: list[tuple[PackFile, bool]] = field(default_factory=list)  # (file, changed)
    invitations: "InviteResult | None" = None  # None: the meeting has no organizer

    @property
    def changed(self) -> int:
        return sum(1 for _, changed in self.files if changed)


Progress = Callable[[str], None]


def _text(s: str) -> bytes:
    return s.encode("utf-8")


def schedule_files(meeting: Meeting, lang: str = "en", plan: Schedule | None = None) -> list[PackFile]:
    """schedule.md in `lang`; the CSV and JSON, for programs, in English. `plan`: the meeting's
    schedule when the caller has built it (the page shows it too)."""
    from agenda.render.output import Report, Table, to_csv, to_json_parts, to_markdown
    from agenda.plan.schedule import build_schedule
    from agenda.render.schedule import TABLE_SKIPS, hours_summary, schedule_columns, schedule_json, schedule_rows, segment_heading

    plan = plan or build_schedule(meeting)
    # The JSON first, and its document let go before the tables are made: at 40,000 members the
    # document (120,000 objects) and its text are the largest things a build holds at once.
    json_file = PackFile("schedule.json", to_json_parts(schedule_json(plan)), said("the same, for scripts"))

    def report_in(language: str) -> Report:
        tables = [Table(schedule_columns(language), schedule_rows(p, language),
                        title=segment_heading(meeting, p.segment, language),
                        footer=[hours_summary(p, language)] if p.member_rows else [], csv_only=TABLE_SKIPS)
                  for p in plan.segments]
        return Report(tables, {})

    report = report_in("en")
    markdown = _text(to_markdown(report if lang == "en" else report_in(lang)))
    return [PackFile("schedule.md", markdown, said("every segment in each member's local time")),
            PackFile("schedule.csv", _text(to_csv(report)), said("the same, for a spreadsheet")), json_file]


def _agenda_words(segment: Segment, named: tuple) -> Phrase:
    """`provisional agenda, Technical Segment`; a further language's says which (`in French`)."""
    message = "provisional agenda in {language}, {title}" if named else "provisional agenda, {title}"
    values = {"title": segment.title, **({"language": dict(named[0][1])["en"]} if named else {})}
    return Phrase(message, tuple(values.items()), (("title", segment.titles), *named))


def agenda_files(meeting: Meeting, languages: tuple[str, ...] = ()) -> list[PackFile]:
    """agenda/<segment>.md|html|docx in the first language (the meeting's when none is named), and
    agenda/<lang>/<segment>.md|html|docx in each further one: a folder per language, because a
    segment id may itself hold a dot (`a.fr`), and a name can then never stand for two files."""
    from babel import Locale

    from agenda.render.agenda_doc import agenda_document, to_docx_bytes, to_html, to_markdown

    languages = languages or (meeting.language,)
    out = []
    for n, lang in enumerate(languages):
        folder = "agenda" if n == 0 else f"agenda/{lang}"
        # "in French", the language named in the language of the page that lists it
        named = () if n == 0 else (("language", tuple((code, Locale.parse(lang).get_display_name(code))
                                                       for code in LANGUAGES)),)
        for segment in meeting.segments:
            doc = agenda_document(meeting, [segment.id], stamp=build_stamp(meeting), lang=lang)
            base = f"{folder}/{segment.id}"
            out += [PackFile(f"{base}.md", _text(to_markdown(doc)), _agenda_words(segment, named)),
                    PackFile(f"{base}.html", _text(to_html(doc)), said("the same, printable page")),
                    PackFile(f"{base}.docx", to_docx_bytes(doc), said("the same, Word document"))]
    return out


def checklist_files(meeting: Meeting, *, lang: str | None = None) -> list[PackFile]:
    """The checklist in `lang` (default: the meeting's language)."""
    from agenda.plan.checklist import build_checklist
    from agenda.render.checklist import checklist_ics, checklist_markdown

    lang = lang or meeting.language
    # No "today": the pack must not change from one day to the next; `som checklist` says what is overdue.
    checklist = build_checklist(meeting, None, ())
    return [PackFile("checklist.md", _text(checklist_markdown(checklist, lang)), said("preparation tasks with due dates")),
            PackFile("checklist.ics", checklist_ics(checklist, stamp=build_stamp(meeting), lang=lang),
                     said("the tasks as to-dos (Thunderbird, Apple)")),
            PackFile("checklist-events.ics", checklist_ics(checklist, as_events=True, stamp=build_stamp(meeting), lang=lang),
                     said("the tasks as all-day events (Outlook, Google)"))]


def index_file(meeting: Meeting, files: list[PackFile], invitation_files: list[tuple[str, Phrase]]) -> PackFile:
    lines = [f"# {meeting.title}: meeting pack", "",
             f"Made by `som build` from {f'`{meeting.source.name}`' if meeting.source else 'the bundled SOM29 meeting'}. "
             f"Times are {meeting.city} time ({meeting.zone_name}) unless a file says otherwise.", "",
             "| file | what |", "| --- | --- |"]
    for name, what in [(f.name, f.what) for f in files] + [(name, w.english) for name, w in invitation_files]:
        lines.append(f"| [{name}]({name}) | {what} |")
    lines += ["", "Import `invitations/*.ics` into a calendar, or send the per-member invitations with "
              "`som invite --send` (see docs/sending.md).", ""]
    return PackFile("index.md", _text("\n".join(lines)), said("this list"))


def page_files(meeting: Meeting, folder: Path, files: list[PackFile], invitations, *, internal: bool = False,
               base_url: str | None = None, lang: str | None = None, schedule: Schedule | None = None) -> list[PackFile]:
    """index.html (the page, in `lang`: default the meeting's language), schedule.svg (its bands)
    and history.json (its "time changed on …")."""
    from agenda.app.invite import issue_clock
    from agenda.app.page import HISTORY, changes_of, history_bytes, next_history, page_bytes, read_history, schedule_svg
    from agenda.plan.invite import segment_file
    from agenda.render.page import PageInput

    lang = lang or meeting.language

    history = next_history(meeting, read_history(folder), issue_clock().date())
    ours = [PackFile("schedule.svg", schedule_svg(meeting, lang), said("every segment as 24-hour bands, one per member city")),
            PackFile(HISTORY, history_bytes(meeting, history), said("when each segment's time last changed"))]
    listed = tuple((f.name, f.words) for f in [*files, *ours]) + (
        tuple(invitation_index(invitations)) if invitations else ())
    published = tuple((name, what) for name, what in listed if for_members(name))
    kept = tuple((name, what) for name, what in listed if not for_members(name))
    inp = PageInput(meeting, internal=internal, invitations=INVITATIONS if invitations else None,
                    feed=invitations.feed if invitations else None,
                    segment_files={o.segment.id: segment_file(meeting, o.segment) for o in invitations.outcomes
                                   if o.state != "unissued"} if invitations else {},  # a file was written
                    base_url=base_url, changes=changes_of(history), files=published, lang=lang,
                    kept=kept if internal else (),
                    kept_names=tuple(n for n in SECRETARIAT_FILES if n not in {k for k, _ in kept}) if internal else (),
                    schedule=schedule)
    page = said("the meeting page: times in your zone, members, agenda, add to calendar (secretariat: with the checklist)"
                if internal else "the meeting page: times in your zone, members, agenda, add to calendar")
    return [PackFile("index.html", page_bytes(inp), page), *ours]


def build_pack(meeting: Meeting, folder: Path, *, overwrite: bool = False, progress: Progress | None = None,
               internal: bool = False, base_url: str | None = None, languages: tuple[str, ...] = ()) -> BuildResult:
    """The pack. `languages`: the agenda is written in each; the first is also the language of
    the schedule's Markdown, the checklist and the page; none named, the meeting's language."""
    from agenda.app.invite import InviteOptions, apply_plan, plan_invitations
    from agenda.plan.invite import RECORD
    from agenda.plan.schedule import build_schedule

    say = progress or (lambda step: None)
    folder = Path(folder)
    if (folder / RECORD).exists():
        raise SomError(f"{folder} holds invitations issued by `som invite`; `som build` keeps its own in "
                       f"{folder / INVITATIONS}", hint="build into another folder, e.g. pack/")
    out = OutputDir(folder, overwrite=overwrite)
    out.lock()
    out.check_folder(INVITATIONS)  # a link there would take the invitations out of the pack
    say("invitations")
    # Planned (and checked) before anything is written; kept in invitations/ with the same
    # record `som invite -o PACK/invitations` uses, so later updates come from either command.
    # A meeting without an organizer (fresh from `som import-report`) still gets the rest.
    invitations = None
    if meeting.organizer is not None:
        invitations = plan_invitations(meeting, folder / INVITATIONS, InviteOptions(overwrite=overwrite))
        # Planned first because a cancellation issued there (`som invite --cancel`) stands: the
        # schedule, agenda, checklist and page must show the segment cancelled too.
        meeting = with_cancellations(meeting, invitations)
    languages = languages or (meeting.language,)
    say("schedule")
    # built once: the schedule's files and the page show the same rows
    schedule = build_schedule(meeting)
    files = schedule_files(meeting, languages[0], schedule)
    say("agenda")
    files += agenda_files(meeting, languages)
    say("checklist")
    files += checklist_files(meeting, lang=languages[0])
    if invitations is not None:
        files += attendance_files(meeting, folder / INVITATIONS, invitations)
    say("page")
    files = page_files(meeting, folder, files, invitations, internal=internal, base_url=base_url,
                       lang=languages[0], schedule=schedule) + files
    del schedule
    files.append(index_file(meeting, files, invitation_index(invitations) if invitations else [
        (f"{INVITATIONS}/", said("no invitations: the meeting file has no organizer (add {example})",
                                 example="organizer = { name, email }"))]))
    out.check([f.name for f in files])
    say("writing")
    result = BuildResult(folder, invitations=apply_plan(invitations) if invitations else None)
    out.intend({f.name: f.data for f in files})
    for f in files:
        result.files.append((f, out.write(f.name, f.data)))
    out.commit()
    return result


def with_cancellations(meeting: Meeting, plan) -> Meeting:
    """The meeting with every segment the invitations cancel (now or in a run before) marked
    cancelled, as its meeting file would say with status = "cancelled"."""
    cancelled = {o.segment.id for o in plan.outcomes if o.version.cancelled}
    if all(s.status == "cancelled" for s in meeting.segments if s.id in cancelled):
        return meeting
    return replace(meeting, segments=tuple(replace(s, status="cancelled") if s.id in cancelled else s
                                           for s in meeting.segments))


def attendance_files(meeting: Meeting, invitations: Path, plan) -> list[PackFile]:
    """attendance.md and .json when `som replies` has recorded replies in the pack's invitations,
    tallied against the versions this build issues."""
    from agenda.app.replies import REPLIES, attendance_against
    from agenda.render.attendance import attendance_json, attendance_markdown
    from agenda.render.output import to_json

    if not (invitations / REPLIES).is_file():
        return []
    attendance = attendance_against(meeting, invitations, {o.segment.id: o.version for o in plan.outcomes})
    return [PackFile("attendance.md", _text(attendance_markdown(attendance)),
                     said("who replied to the invitations, per segment (from `som replies`)")),
            PackFile("attendance.json", _text(to_json(attendance_json(attendance))), said("the same, for scripts"))]


def invitation_index(plan) -> list[tuple[str, Phrase]]:
    """The index lines for the invitations: the feed, each segment, and the members' files as one line."""
    from agenda.plan.invite import segment_file

    rows = []
    if plan.feed:
        rows.append((f"{INVITATIONS}/{plan.feed}", said("all segments in one calendar (import, or publish it for subscription)")))
    for outcome in plan.outcomes:
        name = f"{INVITATIONS}/{segment_file(plan.meeting, outcome.segment)}"
        if outcome.state == "unissued":
            rows.append((f"{INVITATIONS}/", said("no file for {title}: cancelled before it was ever issued", outcome.segment)))
        elif outcome.version.cancelled:
            rows.append((name, said("cancellation of {title} (STATUS:CANCELLED; import it to take the event out of a "
                                    "calendar)", outcome.segment)))
        else:
            rows.append((name, said("invitation to {title} (import)", outcome.segment)))
    requests = sum(1 for m in plan.members if m.method == "REQUEST")
    cancels = sum(1 for m in plan.members if m.method == "CANCEL")
    if requests:
        rows.append((f"{INVITATIONS}/members/", said("{n} per-member invitations (METHOD:REQUEST) to send", n=str(requests))))
    if cancels:
        rows.append((f"{INVITATIONS}/members/", said("{n} per-member cancellations (METHOD:CANCEL) to send", n=str(cancels))))
    if not requests and not cancels and plan.skipped:
        rows.append((f"{INVITATIONS}/", said("no per-member invitations: {n} members have no e-mail address",
                                                     n=str(len(plan.skipped)))))
    return rows
