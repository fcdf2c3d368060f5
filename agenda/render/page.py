"""`index.html` of the meeting pack: one self-contained page for members (or, with `internal`,
for the secretariat).

Everything a reader needs without JavaScript is written here, at build time: each segment's
home time and UTC, every member's local time, working hours and holiday marks, the bands
(agenda.render.bands), the agenda and the add-to-calendar links. The inline script only adds
the viewer's own time, computed by the browser's Intl API from the UTC instants in
`<time class="local" datetime="…Z" data-end="…Z">`, a zone picker remembered in localStorage,
and the members filter. No external fonts, scripts or requests; the page carries its own
Content-Security-Policy with the hashes of its one style and one script, so a server that
sends a strict policy of that kind does not break it. The same meeting gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from urllib.parse import quote

from agenda.model.holidays import closing_days
from agenda.model.meeting import Meeting, Member, Segment
from agenda.model.timeplan import UTC, LocalSpan, local_days
from agenda.plan.checklist import Phrase
from agenda.plan.schedule import LocalRow, Schedule, build_schedule, span_text
from agenda.render import bands
from agenda.render.language import RIGHT_TO_LEFT, Words

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.office.com/calendar/0/deeplink/compose"


def N_(message: str) -> str:
    """Marks a phrase for the catalogs where it is named, translated where it is used."""
    return message


STATUS_MARKS = {"inside": N_("✓ inside"), "partly": N_("◐ partly"), "outside": N_("✗ outside")}
MEMBER_COLUMNS = (N_("Acronym"), N_("City"), N_("Local time"), N_("Working hours"), N_("Holiday"))
# Up to this many members (bands.MEMBERS_LISTED), the page lists each member for each segment
# (and a reader can filter them); above it, one row per city and local time: 40,000 members'
# rows made a page of 31 MB that a phone cannot open, and cost som build more than all its
# invitations. schedule.md, .csv and .json keep every member's row.
MEMBERS_LISTED = bands.MEMBERS_LISTED
CITY_COLUMNS = (N_("City"), N_("Local time"), N_("Working hours"), N_("Holiday"), N_("Members"))
TASK_COLUMNS = (N_("Due"), N_("Task"), N_("Owner"), N_("Status"))
# What each file of the pack is (app/build.py says which): English in index.md and the terminal,
# the page's language in its list of files.
FILE_PHRASES = (
    N_("every segment in each member's local time"), N_("the same, for a spreadsheet"), N_("the same, for scripts"),
    N_("provisional agenda, {title}"), N_("provisional agenda in {language}, {title}"),
    N_("the same, printable page"), N_("the same, Word document"), N_("preparation tasks with due dates"),
    N_("the tasks as to-dos (Thunderbird, Apple)"), N_("the tasks as all-day events (Outlook, Google)"),
    N_("this list"), N_("every segment as 24-hour bands, one per member city"),
    N_("when each segment's time last changed"),
    N_("the meeting page: times in your zone, members, agenda, add to calendar"),
    N_("the meeting page: times in your zone, members, agenda, add to calendar (secretariat: with the checklist)"),
    N_("who replied to the invitations, per segment (from `som replies`)"),
    N_("all segments in one calendar (import, or publish it for subscription)"),
    N_("no file for {title}: cancelled before it was ever issued"),
    N_("cancellation of {title} (STATUS:CANCELLED; import it to take the event out of a calendar)"),
    N_("invitation to {title} (import)"), N_("{n} per-member invitations (METHOD:REQUEST) to send"),
    N_("{n} per-member cancellations (METHOD:CANCEL) to send"),
    N_("no per-member invitations: {n} members have no e-mail address"),
    N_("no invitations: the meeting file has no organizer (add {example})"))


@dataclass(frozen=True)
class TimeChange:
    """When a segment's time last changed, and what it was before (from the pack's history)."""

    on: date
    was: str


@dataclass(frozen=True)
class PageInput:
    meeting: Meeting
    internal: bool = False  # for the secretariat: with the preparation checklist
    invitations: str | None = None  # the invitations folder, relative to the page; None: none written
    feed: str | None = None  # the feed's file name in that folder
    segment_files: dict[str, str] = field(default_factory=dict)  # segment id -> .ics file name in that folder
    base_url: str | None = None  # where the pack is published, ending in /
    changes: dict[str, TimeChange] = field(default_factory=dict)
    files: tuple[tuple[str, Phrase], ...] = ()  # (name, what) of the pack's files for the members
    kept: tuple[tuple[str, Phrase], ...] = ()  # (name, what) of the secretariat's files: only on the internal page
    kept_names: tuple[str, ...] = ()  # the secretariat's other files (records, bookkeeping): only on the internal page
    lang: str = "en"  # the language of our words on the page, and of the dates its script writes
    schedule: Schedule | None = None  # build_schedule(meeting), when the caller has it already (som build)


class Say:
    """Our phrases and dates in the page's language. English is the message ids themselves and
    keeps its own date forms (so its bytes do not move); another language gets the catalogs
    and CLDR (render/language.py)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.words = Words(lang) if lang != "en" else None

    def __call__(self, message: str, **values: object) -> str:
        return self.words.say(message, **values) if self.words else message.format(**values)

    def span(self, start: datetime, end: datetime) -> str:
        """`15:00–17:00 CEST`; on a right-to-left page, isolated left to right (Unicode's LRI…PDI),
        or the bidi algorithm shows the two times the other way round."""
        text = span_text(start, end)
        return f"\u2066{text}\u2069" if self.lang in RIGHT_TO_LEFT else text

    def day(self, day: date, english: str, skeleton: str = "yMMMEd") -> str:
        """`day` by `english` (a strftime form) in English, else by CLDR's `skeleton`."""
        return self.words.skeleton(day, skeleton) if self.words else format(day, english)


def _e(text: str) -> str:
    return escape(text, quote=True)


def utc_z(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _compact(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_seconds(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def home_text(meeting: Meeting, segment: Segment, say: Say | None = None) -> str:
    """`Tue 26 Sep 2023, 15:00–17:00 CEST, Geneva` (history.json keeps the English one)."""
    if say is None:
        return f"{segment.start:%a %d %b %Y}, {span_text(segment.start, segment.end)}, {meeting.city or meeting.zone_name}"
    return say("{date}, {time}, {city}", date=say.day(segment.start.date(), "%a %d %b %Y"),
               time=say.span(segment.start, segment.end), city=meeting.city or meeting.zone_name)


def utc_text(segment: Segment, say: Say | None = None) -> str:
    s, e = segment.start.astimezone(UTC), segment.end.astimezone(UTC)
    day = "" if s.date() == segment.start.date() else (say.day(s.date(), "%a %d %b", "MMMEd") if say else f"{s:%a %d %b}") + ", "
    return f"{day}{s:%H:%M}–{e:%H:%M} UTC"


# --- add to calendar -----------------------------------------------------------------------

def event_details(inp: PageInput, segment: Segment) -> str:
    meeting = inp.meeting
    say = Say(inp.lang)
    lines = [f"{home_text(meeting, segment, say)} ({utc_text(segment, say)})"]
    url = meeting.online_url_of(segment)
    if url:
        lines.append(say("Online: {url}", url=url))
    if inp.base_url:
        lines.append(say("Agenda and every member's local time: {url}", url=f"{inp.base_url}index.html#{segment.id}"))
    return "\n".join(lines)


def google_link(inp: PageInput, segment: Segment) -> str:
    meeting = inp.meeting
    params = [("action", "TEMPLATE"), ("text", f"{meeting.title_in(inp.lang)} — {segment.title_in(inp.lang)}"),
              ("dates", f"{_compact(segment.start)}/{_compact(segment.end)}"),
              ("details", event_details(inp, segment))]
    location = meeting.location_of(segment)
    if location:
        params.append(("location", location))
    return GOOGLE + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params)


def outlook_link(inp: PageInput, segment: Segment) -> str:
    meeting = inp.meeting
    params = [("path", "/calendar/action/compose"), ("rru", "addevent"),
              ("subject", f"{meeting.title_in(inp.lang)} — {segment.title_in(inp.lang)}"),
              ("startdt", _iso_seconds(segment.start)), ("enddt", _iso_seconds(segment.end)),
              ("body", event_details(inp, segment))]
    location = meeting.location_of(segment)
    if location:
        params.append(("location", location))
    return OUTLOOK + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params)


def webcal_link(inp: PageInput) -> str | None:
    if not (inp.base_url and inp.invitations and inp.feed):
        return None
    rest = inp.base_url.split("://", 1)[1]
    return f"webcal://{rest}{inp.invitations}/{inp.feed}"


# --- holidays ------------------------------------------------------------------------------

def holiday_marks(member: Member, segment: Segment, say: Say | None = None) -> list[str]:
    """The member's holidays on the local days the segment touches, by the calendar `som check`
    reads (agenda.model.holidays: the duty station's official holidays, else the country's
    public holidays; floating holidays, which close no office, are left out)."""
    ls, le = segment.start.astimezone(member.zone), segment.end.astimezone(member.zone)
    days = local_days(ls, le)
    calendar = closing_days(member, tuple(sorted({d.year for d in days})))
    return [f"{calendar[d].label} ({say.day(d, '%a %d %b', 'MMMEd') if say else format(d, '%a %d %b')})"
            for d in days if d in calendar]


# `som check`'s notes on a day kept free of meetings, as plan/check.py builds them (KEPT_FREE_ON,
# MAYBE_KEPT_FREE_ON; a test holds the two texts equal), for the catalogs.
KEPT_FREE_NOTES = (
    N_("{day} is {holiday}, a day the General Assembly asks to keep free of meetings (resolution 69/250) — source: {source}"),
    N_("{day} may be {holiday}: it is the day after the expected date, and a day the General Assembly asks to keep free of meetings (resolution 69/250) if the UN observes it then — source: {source}"),
)


def un_holiday_notes(meeting: Meeting, segment: Segment, say: Say) -> list[str]:
    """What `som check` says of the days kept free of meetings (resolution 69/250) on the segment's
    home day, in the page's language (the holiday's name and its source stay as the calendar writes them)."""
    from agenda.plan.check import kept_free_findings

    notes = []
    # not holiday_findings(): its findings for members (each member's holidays) are not shown here
    for finding in kept_free_findings(meeting, segment):
        if finding.severity != "warning":
            continue
        if say.words is None or finding.phrase is None:
            notes.append(finding.message)
            continue
        values = finding.phrase.values_in(say.lang)
        values["day"] = say.day(segment.start.date(), "%a %d %b %Y")
        notes.append(say(finding.phrase.message, **values))
    return notes


# --- the page ------------------------------------------------------------------------------

def page_html(inp: PageInput) -> str:
    meeting = inp.meeting
    say = Say(inp.lang)
    schedule = inp.schedule or build_schedule(meeting)
    title = say("{title}: secretariat page", title=meeting.title_in(inp.lang)) if inp.internal else \
        say("{title}: meeting page", title=meeting.title_in(inp.lang))
    body: list[str] = [f'<a class="skip" href="#main">{say("Skip to the segments")}</a>', "<header>"]
    if meeting.body:
        body.append(f'<p class="body">{_e(meeting.body)}</p>')
    body.append(f"<h1>{_e(meeting.title_in(inp.lang))}</h1>")
    home = meeting.city or meeting.zone_name
    times = say("Times are given in {city} time ({zone}), in UTC and in each member's local time; with JavaScript on, your browser adds your own.",
                city=_e(home), zone=_e(meeting.zone_name))
    body.append(f"<p>{times}</p>")
    if inp.internal:
        body.append('<p class="internal"><strong>' + say("For the secretariat:") + "</strong> "
                    + say("this page shows the preparation checklist. Publish the members' page ({command} without {option}) instead.",
                          command="<code>som build</code>", option="<code>--internal</code>")
                    + "</p>")
    device = say("this device's time zone")
    body += ['<div class="picker" id="picker" hidden>',
             f'<label for="zone">{say("Show your time in")}</label> ',
             f'<select id="zone"><option value="">{device}</option></select>',
             f'<p class="hint">{say("Remembered in this browser (no cookies).")}</p>', "</div>", "</header>",
             f'<nav aria-labelledby="contents-h"><h2 id="contents-h">{say("Segments")}</h2><ul>']
    for plan in schedule.segments:
        s = plan.segment
        cancelled = say(" (cancelled)") if s.status == "cancelled" else ""
        line = say("{title}: {when}", title=f'<a href="#{_e(s.id)}">{_e(s.title_in(inp.lang))}</a>{cancelled}',
                   when=_e(home_text(meeting, s, say)))
        body.append(f"<li>{line}</li>")
    body += ["</ul></nav>", '<main id="main">']
    checklist = None
    if inp.internal:
        from agenda.plan.checklist import build_checklist

        checklist = build_checklist(meeting, None, ())
    for plan in schedule.segments:
        body += _segment(inp, plan.segment, plan.member_rows, checklist)
    body.append("</main>")
    body += _footer(inp, say)
    rtl = inp.lang in RIGHT_TO_LEFT
    css = CSS.strip("\n") + "\n" + (RTL_CSS.strip("\n") + "\n" if rtl else "")
    js = script_in(say)
    csp = ("default-src 'none'; img-src data:; style-src " + _hash(css) + "; script-src " + _hash(js)
           + "; base-uri 'none'; form-action 'none'")
    html_tag = f'<html lang="{inp.lang}"' + (' dir="rtl"' if rtl else "") + ">"
    head = ["<!DOCTYPE html>", html_tag, "<head>", '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            '<link rel="icon" href="data:,">', f"<title>{_e(title)}</title>",
            f"<style>{css}</style>", "</head>", "<body>"]
    return "\n".join(head + body + [f"<script>{js}</script>", "</body>", "</html>"]) + "\n"


def _footer(inp: PageInput, say: Say) -> list[str]:
    """The pack's files. The members' page lists only the members' files, and so names nothing
    they should not see; the secretariat's page says which to publish and which to keep."""
    if not inp.files and not inp.internal:
        return []
    def item(name: str, what: Phrase) -> str:
        return say("{title}: {when}", title=f'<a href="{_e(name)}">{_e(name)}</a>',
                   when=_e(say(what.message, **what.values_in(inp.lang))))

    items = [f"<li>{item(name, what)}</li>" for name, what in inp.files]
    if not inp.internal:
        return ["<footer>", f'<h2 id="files-h">{say("Files in this pack")}</h2>', "<ul>", *items, "</ul>", "</footer>"]
    kept = [f"<li>{item(name, what)}</li>" for name, what in inp.kept]
    members_page = say("index.html: the members' page")
    never = say("Never publish these: they hold the preparation, who replied (with the focal points' addresses), the per-member invitations (with the attendees' addresses) and the records behind the invitations.")
    return ["<footer>", f'<h2 id="files-h">{say("Files to publish")}</h2>',
            "<p>" + say("Publish these, with the members' page in place of this one, and nothing else from the folder:") + "</p>",
            "<ul>", f"<li>{members_page}</li>", *items, "</ul>",
            f'<h2 id="kept-h">{say("Files to keep to the secretariat")}</h2>',
            f"<p>{never}</p>", "<ul>", *kept,
            *(f"<li><code>{_e(name)}</code></li>" for name in inp.kept_names),
            "</ul>", "</footer>"]


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _segment(inp: PageInput, segment: Segment, rows: list[LocalRow], checklist) -> list[str]:
    meeting = inp.meeting
    say = Say(inp.lang)
    sid = _e(segment.id)
    cancelled = segment.status == "cancelled"
    classes = "segment cancelled" if cancelled else "segment"
    status = say("Cancelled") if cancelled else say("Tentative") if segment.status == "tentative" else ""
    out = [f'<section class="{classes}" id="{sid}" aria-labelledby="{sid}-h">',
           f'<h2 id="{sid}-h"><span class="title">{_e(segment.title_in(inp.lang))}</span>'
           + (f' <span class="status">{status}</span>' if status else "") + "</h2>"]
    change = inp.changes.get(segment.id)
    if change:
        on = say.words.date_form(change.on) if say.words else f"{change.on.day} {change.on:%B %Y}"
        # `was` is the time as history.json recorded it, in English
        out.append('<p class="changed"><strong>' + say("Time changed on {date}", date=on) + "</strong> "
                   + say("(was {time}).", time=_e(change.was)) + "</p>")
    if cancelled:
        out.append('<p class="cancel-note">' + say("This segment is cancelled; the times below are kept for reference.") + "</p>")
    wrap = ("<del>", "</del>") if cancelled else ("", "")
    home = _e(meeting.city or meeting.zone_name)
    home_time = say("{city} time", city=home)
    out += ['<dl class="when">',
            f"<dt>{home_time}</dt><dd>{wrap[0]}{_e(home_text(meeting, segment, say))}{wrap[1]}</dd>",
            f'<dt>UTC</dt><dd>{wrap[0]}<time datetime="{utc_z(segment.start)}">{_e(utc_text(segment, say))}</time>{wrap[1]}</dd>',
            f'<dt class="yours" hidden>{say("Your time")}</dt><dd class="yours" hidden>'
            f'<time class="local" data-segment="{sid}" datetime="{utc_z(segment.start)}" data-end="{utc_z(segment.end)}" '
            f'data-home-date="{segment.start.date().isoformat()}" data-home-city="{home}">'
            f'{_e(utc_text(segment, say))}</time> '
            f'<span class="local-day" data-segment="{sid}"></span> <span class="local-zone" data-segment="{sid}"></span></dd>']
    location = meeting.location_of(segment)
    if location:
        out.append(f'<dt>{say("Venue")}</dt><dd>{_e(location)}</dd>')
    url = meeting.online_url_of(segment)
    if url:
        out.append(f'<dt>{say("Online")}</dt><dd><a href="{_e(url)}">{_e(url)}</a></dd>')
    if segment.chair:
        out.append(f'<dt>{say("Chair")}</dt><dd>{_e(segment.chair)}</dd>')
    out.append("</dl>")
    out += [f"<p class=\"warning\">{_e(n)}</p>" for n in un_holiday_notes(meeting, segment, say)]
    out += _calendar_links(inp, segment, say)
    out += _bands(inp, segment, say)
    out += _members(segment, rows, say)
    out += _agenda(meeting, segment, say)
    if checklist is not None:
        out += _checklist(segment, checklist, say)
    out.append("</section>")
    return out


def _calendar_links(inp: PageInput, segment: Segment, say: Say) -> list[str]:
    sid = _e(segment.id)
    what = f'<span class="vh"> {_e(segment.title_in(inp.lang))}</span>'
    out = [f'<h3 id="{sid}-cal">{say("Add to calendar")}</h3>', f'<ul class="add" aria-labelledby="{sid}-cal">']
    if inp.invitations and segment.id in inp.segment_files:
        href = f"{inp.invitations}/{inp.segment_files[segment.id]}"
        out.append(f'<li><a class="ics" href="{_e(href)}" download>{say(".ics file")}{what}</a> (Outlook, Apple, Thunderbird)</li>')
    if segment.status != "cancelled":
        out.append(f'<li><a class="google" href="{_e(google_link(inp, segment))}" rel="noopener">{say("Google Calendar")}{what}</a></li>')
        out.append(f'<li><a class="outlook" href="{_e(outlook_link(inp, segment))}" rel="noopener">'
                   f'{say("Outlook on the web")}{what}</a></li>')
    webcal = webcal_link(inp)
    if webcal:
        out.append(f'<li><a class="webcal" href="{_e(webcal)}">{say("Subscribe to all segments")}<span class="vh"> '
                   f'{say("(from {title})", title=_e(segment.title_in(inp.lang)))}</span></a> {say("(webcal: updates arrive by themselves)")}</li>')
    out.append("</ul>")
    return out


def _bands(inp: PageInput, segment: Segment, say: Say) -> list[str]:
    meeting = inp.meeting
    span = bands.Span(f"b-{segment.id}", segment.title_in(inp.lang), segment.start, segment.end, segment.status == "cancelled")
    rows = bands.cities(meeting.members, meeting.zone, meeting.city, segment.start)
    if not rows:
        return []
    svg = bands.bands_svg([(span, rows)], home_city=meeting.city, label_id=f"b-{segment.id}",
                          title=say("{title}: 24 hours in every member city", title=segment.title_in(inp.lang)), words=say.words)
    caption = say("One row per city; the outlined block is the segment. Dark: night (00–06); tinted with a dot: working hours; hatched: holiday.")
    # Below the bands' readable width the figure scrolls sideways rather than shrinking them.
    return [f'<h3 id="{_e(segment.id)}-day">{say("The day in every member city")}</h3>', '<figure class="bands">',
            f'<div class="wide" role="region" tabindex="0" aria-labelledby="{_e(segment.id)}-day {_e(segment.id)}-h">',
            svg.rstrip("\n"), "</div>", f"<figcaption>{caption}</figcaption>", "</figure>"]


def _members(segment: Segment, rows: list[LocalRow], say: Say) -> list[str]:
    if not rows:
        return []
    sid = _e(segment.id)
    counts = {k: sum(1 for r in rows if r.span.working_hours == k) for k in STATUS_MARKS}
    summary = say("{inside} of {total} members inside working hours", inside=counts["inside"], total=len(rows)) + (
        say(", {n} partly", n=counts["partly"]) if counts["partly"] else "") + (
        say(", {n} outside", n=counts["outside"]) if counts["outside"] else "")
    out = [f'<h3 id="{sid}-members">{say("Members’ local times")}</h3>', "<p>" + say("{summary}.", summary=_e(summary)) + "</p>"]
    if len(rows) > MEMBERS_LISTED:
        return out + _cities(segment, rows, say)
    caption = say("Local time of {title} for each member", title=_e(segment.title_in(say.lang)))
    out += [f'<div class="filter" hidden><label for="{sid}-filter">{say("Filter members")}</label> '
            f'<input type="search" id="{sid}-filter" data-filter="{sid}" autocomplete="off" '
            f'placeholder="{say("acronym, name or city")}"> <span class="shown" data-segment="{sid}" aria-live="polite"></span></div>',
            f'<div class="wide" role="region" tabindex="0" aria-labelledby="{sid}-members {sid}-h">'
            f'<table class="members" id="{sid}-table"><caption class="vh">{caption}</caption>',
            "<thead><tr>" + "".join(f'<th scope="col">{say(c)}</th>' for c in MEMBER_COLUMNS) + "</tr></thead>", "<tbody>"]
    members = sorted(((r.member, r.span) for r in rows if r.member is not None),
                     key=lambda pair: (pair[0].acronym.casefold(), pair[0].id))
    # A row is the member's own name and the cells of its city, local time and holidays. Members
    # who share a span (build_schedule) and a holiday calendar in the same city share those
    # cells: made once, not once a member (a directory of 10,000 has a few dozen of them).
    tails: dict[tuple, str] = {}
    for m, span in members:
        key = (id(span), m.city, m.calendar, m.country, m.subdivision)
        tail = tails.get(key)
        if tail is None:
            tail = tails[key] = f"<td>{_e(m.city)}</td>{_time_cells(m, span, segment, say)}</tr>"
        name = _e(m.name)
        out.append(f'<tr data-member="{_e(m.id)}"><th scope="row"><abbr title="{name}">{_e(m.acronym)}</abbr>'
                   f'<span class="vh"> ({name})</span></th>{tail}')
    out += ["</tbody>", "</table>", "</div>"]
    return out


def _cities(segment: Segment, rows: list[LocalRow], say: Say) -> list[str]:
    """The members' table of a directory too large to list: one row per city and what its
    cells say (local time, working hours, holidays), with how many members it stands for, in
    the order of the cities' names."""
    sid = _e(segment.id)
    cells: dict[tuple, str] = {}  # by span and holiday calendar, as _members
    counts: dict[tuple[str, str], int] = {}  # members by the row they appear in: city and cells
    offsets: dict[tuple[str, str], timedelta] = {}  # a row's UTC offset: a city's rows go west to east
    for r in rows:
        m = r.member
        if m is None:
            continue
        key = (id(r.span), m.city, m.calendar, m.country, m.subdivision)
        text = cells.get(key)
        if text is None:
            text = cells[key] = _time_cells(m, r.span, segment, say)
        row = (m.city, text)
        counts[row] = counts.get(row, 0) + 1
        offsets.setdefault(row, r.span.start.utcoffset() or timedelta(0))
    note = say("{n} members, too many to list one by one: one row per city and local time. Each member's own row is in {files}.",
               n=len(rows), files="schedule.md, schedule.csv, schedule.json")
    caption = say("Local time of {title} in each member city", title=_e(segment.title_in(say.lang)))
    out = [f"<p>{_e(note)}</p>",
           f'<div class="wide" role="region" tabindex="0" aria-labelledby="{sid}-members {sid}-h">'
           f'<table class="members cities" id="{sid}-table"><caption class="vh">{caption}</caption>',
           "<thead><tr>" + "".join(f'<th scope="col">{say(c)}</th>' for c in CITY_COLUMNS) + "</tr></thead>", "<tbody>"]
    for (city, text), n in sorted(counts.items(), key=lambda item: (item[0][0].casefold(), offsets[item[0]], item[0])):
        out.append(f'<tr><th scope="row">{_e(city)}</th>{text}<td>{n}</td></tr>')
    out += ["</tbody>", "</table>", "</div>"]
    return out


def _time_cells(m: Member, span: LocalSpan, segment: Segment, say: Say) -> str:
    """A member's local time, working hours and holidays: the cells after its city."""
    shift = ""
    if span.day_offset:
        days = f'{"+" if span.day_offset > 0 else "−"}{abs(span.day_offset)}'
        shift = f' <span class="shift">{say("({shift} day)", shift=days)}</span>'
    local = say("{date}, {time}", date=say.day(span.start.date(), "%a %d %b", "MMMEd"), time=say.span(span.start, span.end))
    marks = holiday_marks(m, segment, say)
    status = span.working_hours or ""
    return (f"<td>{_e(local)}{shift}</td>"
            f'<td class="wh {status}">{_e(say(STATUS_MARKS[status]) if status in STATUS_MARKS else status)}</td>'
            f"<td>{'<strong>⚑ ' + _e('; '.join(marks)) + '</strong>' if marks else ''}</td>")


def _agenda(meeting: Meeting, segment: Segment, say: Say) -> list[str]:
    from agenda.render.agenda_doc import TBA, agenda_document, item_cells, item_columns

    seg = agenda_document(meeting, [segment.id], lang=say.lang).segments[0]
    out = [f'<h3 id="{_e(segment.id)}-agenda">{say("Provisional agenda")}</h3>']
    if seg.symbol:
        out.append(f"<p>{_e(seg.symbol)}" + (say(" · Distribution: {list}", list=_e(seg.distribution)) if seg.distribution else "")
                   + "</p>")
    if not seg.items:
        out.append(f"<p>{say(TBA)}</p>")
    else:
        columns = item_columns(seg)
        out += [f'<div class="wide" role="region" tabindex="0" aria-labelledby="{_e(segment.id)}-agenda {_e(segment.id)}-h">',
                '<table class="items">', "<thead><tr>" + "".join(f'<th scope="col">{c}</th>' for c in columns)
                + "</tr></thead>", "<tbody>"]
        for entry in seg.entries():
            cells = item_cells(seg, entry)
            out.append(f'<tr class="depth-{entry.depth}">' + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
        out += ["</tbody>", "</table>", "</div>"]
    out += [f'<p class="warning">{_e(w)}</p>' for w in seg.warnings]
    out.append(f'<p><a href="agenda/{_e(segment.id)}.html">{say("Printable agenda with annotations")}<span class="vh"> '
               f'{say("for {title}", title=_e(segment.title_in(say.lang)))}</span></a></p>')
    return out


def _checklist(segment: Segment, checklist, say: Say) -> list[str]:
    from agenda.render.checklist import Said

    tasks = [t for t in checklist.tasks if t.segment == segment.id]
    if not tasks:
        return []
    said = Said(say.lang) if say.words else None
    done = sum(1 for t in tasks if t.done)
    out = [f'<h3 id="{_e(segment.id)}-prep">{say("Preparation (secretariat)")}</h3>',
           "<p>" + say("{done} of {total} tasks done.", done=done, total=len(tasks)) + "</p>",
           f'<div class="wide" role="region" tabindex="0" aria-labelledby="{_e(segment.id)}-prep {_e(segment.id)}-h">',
           '<table class="tasks">',
           "<thead><tr>" + "".join(f'<th scope="col">{say(c)}</th>' for c in TASK_COLUMNS) + "</tr></thead>", "<tbody>"]
    for t in tasks:
        mark = say("✓ done") if t.done else say("○ open")
        title, owner = (said.phrase(t), said.owner(t)) if said else (t.title, t.owner)
        out.append(f"<tr><td>{say.day(t.due, '%a %d %b %Y')}</td><td>{_e(title)}</td><td>{_e(owner)}</td>"
                   f'<td class="task {"done" if t.done else "open"}">{mark}</td></tr>')
    out += ["</tbody>", "</table>", "</div>"]
    return out


CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; line-height: 1.45;
  margin: 0 auto; max-width: 62rem; padding: 1rem; color: #111; background: #fff; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 2px solid #333; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
a { color: #0645ad; }
.body { margin: 0; color: #333; }
.skip { position: absolute; left: -999px; }
.skip:focus { position: static; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.picker { background: #f1f4f7; border: 1px solid #99a; padding: 0.5rem 0.8rem; margin: 0.8rem 0; }
.picker select { font-size: 1rem; max-width: 100%; }
.hint { margin: 0.2rem 0 0; font-size: 0.85rem; color: #333; }
dl.when { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.6rem 0; }
dl.when dt { font-weight: bold; }
dl.when dd { margin: 0; overflow-wrap: anywhere; }
dt.yours[hidden], dd.yours[hidden] { display: none; }
time.local { font-weight: bold; }
.cancelled h2 .title { text-decoration: line-through; }
.status { font-size: 0.85rem; border: 2px solid #000; padding: 0 0.4rem; text-transform: uppercase;
  letter-spacing: 0.05em; vertical-align: middle; }
.changed { border-left: 4px solid #000; padding-left: 0.6rem; }
.warning { border-left: 4px solid #8a5a00; padding-left: 0.6rem; }
ul.add { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
figure.bands { margin: 0.5rem 0; }
figure.bands svg { max-width: 100%; min-width: 600px; height: auto; display: block; }
/* A table or the bands wider than a phone scroll in their own box; the page never scrolls sideways. */
.wide { overflow-x: auto; max-width: 100%; }
.wide:focus { outline: 2px solid #0645ad; }
figcaption { font-size: 0.85rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #999; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
thead th { background: #e8ecf0; }
td.wh.inside { background: #e3f2e6; }
td.wh.partly { background: #fff4d6; }
td.wh.outside { background: #fbe3e3; }
abbr { text-decoration: none; }
.filter { margin: 0.4rem 0; }
.filter input { font-size: 1rem; }
tr.depth-2 td:nth-child(2) { padding-left: 1.4rem; }
tr.depth-3 td:nth-child(2) { padding-left: 2.4rem; }
footer { margin-top: 2rem; font-size: 0.9rem; }
code { font-size: 0.9em; }
@media print {
  @page { margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  .picker, .filter, .skip, nav { display: none; }
  section.segment { break-before: page; }
  table { font-size: 8pt; }
  tr, figure { break-inside: avoid; }
  a { color: #000; }
  td, dd { overflow-wrap: anywhere; }
  .wide { overflow: visible; }
  figure.bands svg { min-width: 0; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var KEY = "som-page-zone";
  var own = new Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  // ICU still answers some zones by their old names; show the ones the zone database uses now.
  var MODERN = {"Asia/Calcutta": "Asia/Kolkata", "Asia/Katmandu": "Asia/Kathmandu", "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Rangoon": "Asia/Yangon", "Europe/Kiev": "Europe/Kyiv", "Atlantic/Faeroe": "Atlantic/Faroe",
    "America/Godthab": "America/Nuuk", "Pacific/Truk": "Pacific/Chuuk", "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Enderbury": "Pacific/Kanton", "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Indianapolis": "America/Indiana/Indianapolis", "America/Louisville": "America/Kentucky/Louisville",
    "Asia/Dacca": "Asia/Dhaka", "Asia/Thimbu": "Asia/Thimphu"};
  function named(zone) { return (MODERN[zone] || zone).replace(/_/g, " "); }

  function valid(zone) {
    try { new Intl.DateTimeFormat("en", {timeZone: zone}); return true; } catch (e) { return false; }
  }
  function stored() {
    try { var z = window.localStorage.getItem(KEY); return z && valid(z) ? z : ""; } catch (e) { return ""; }
  }
  function remember(zone) {
    try { if (zone) { window.localStorage.setItem(KEY, zone); } else { window.localStorage.removeItem(KEY); } }
    catch (e) { /* storage off: the choice lasts this visit */ }
  }
  function part(parts, type) {
    for (var i = 0; i < parts.length; i++) { if (parts[i].type === type) { return parts[i].value; } }
    return "";
  }
  function wall(instant, zone) {
    var p = new Intl.DateTimeFormat("en-GB", {timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", weekday: "short"}).formatToParts(instant);
    return {date: part(p, "year") + "-" + part(p, "month") + "-" + part(p, "day"),
            time: part(p, "hour") + ":" + part(p, "minute"), weekday: part(p, "weekday"),
            day: String(Number(part(p, "day")))};
  }
  function offsetText(instant, zone) {
    var p = new Intl.DateTimeFormat("en-US", {timeZone: zone, timeZoneName: "longOffset"}).formatToParts(instant);
    var v = part(p, "timeZoneName").replace("GMT", "");
    return "UTC" + (v || "+00:00");
  }
  function label(instant, zone) {
    var names = ["en-US", "en-GB"];
    for (var i = 0; i < names.length; i++) {
      var p = new Intl.DateTimeFormat(names[i], {timeZone: zone, timeZoneName: "short"}).formatToParts(instant);
      var v = part(p, "timeZoneName");
      if (v && !/^(GMT|UTC)[+\\-\\u2212]/.test(v)) { return v; }
    }
    return offsetText(instant, zone);
  }
  function days(a, b) {
    var x = a.split("-"), y = b.split("-");
    return Math.round((Date.UTC(+x[0], x[1] - 1, +x[2]) - Date.UTC(+y[0], y[1] - 1, +y[2])) / 86400000);
  }
  var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function show(zone) {
    var items = document.querySelectorAll("time.local");
    for (var i = 0; i < items.length; i++) {
      var el = items[i], id = el.getAttribute("data-segment");
      var start = new Date(el.getAttribute("datetime")), end = new Date(el.getAttribute("data-end"));
      var a = wall(start, zone), b = wall(end, zone), la = label(start, zone), lb = label(end, zone);
      var next = days(b.date, a.date);
      if (next === 1 && b.time === "00:00") { next = 0; }  // ends at midnight: no next day to speak of
      var text = a.time + "\\u2013" + b.time + (next ? " (+" + next + ")" : "") + " " + (la === lb ? la : la + "/" + lb);
      el.textContent = text;
      var shift = days(a.date, el.getAttribute("data-home-date"));
      var when = a.weekday + " " + a.day + " " + months[Number(a.date.slice(5, 7)) - 1] + " " + a.date.slice(0, 4);
      var home = el.getAttribute("data-home-city");
      var note = shift === 0 ? "same day as in " + home : (shift > 0 ? "+" + shift : "\\u2212" + (-shift)) + " day";
      var day = document.querySelector('.local-day[data-segment="' + id + '"]');
      if (day) { day.textContent = "on " + when + " (" + note + ")"; }
      var name = document.querySelector('.local-zone[data-segment="' + id + '"]');
      if (name) { name.textContent = "\\u00b7 " + named(zone) + (zone === own ? " (this device)" : ""); }
    }
    var yours = document.querySelectorAll(".yours");
    for (var j = 0; j < yours.length; j++) { yours[j].hidden = false; }
  }
  function fillPicker(select) {
    var zones = [];
    try { zones = Intl.supportedValuesOf("timeZone").slice(); } catch (e) { zones = []; }
    if (zones.indexOf("UTC") < 0) { zones.push("UTC"); }
    if (zones.indexOf(own) < 0) { zones.push(own); }
    zones.sort();
    select.options[0].textContent = "this device\\u2019s time zone (" + named(own) + ")";
    for (var i = 0; i < zones.length; i++) {
      var o = document.createElement("option");
      o.value = zones[i];
      o.textContent = named(zones[i]);
      select.appendChild(o);
    }
  }
  function filters() {
    var inputs = document.querySelectorAll("input[data-filter]");
    for (var i = 0; i < inputs.length; i++) {
      (function (input) {
        var id = input.getAttribute("data-filter");
        var table = document.getElementById(id + "-table");
        var shown = document.querySelector('.shown[data-segment="' + id + '"]');
        input.parentNode.hidden = false;
        input.addEventListener("input", function () {
          var q = input.value.trim().toLowerCase(), rows = table.tBodies[0].rows, n = 0;
          for (var r = 0; r < rows.length; r++) {
            var hit = !q || rows[r].textContent.toLowerCase().indexOf(q) >= 0;
            rows[r].hidden = !hit;
            if (hit) { n++; }
          }
          shown.textContent = q ? n + " of " + rows.length + " members shown" : "";
        });
      })(inputs[i]);
    }
  }
  var select = document.getElementById("zone");
  fillPicker(select);
  var chosen = stored();
  if (chosen) {
    if (!select.querySelector('option[value="' + chosen + '"]')) {
      var extra = document.createElement("option");
      extra.value = chosen; extra.textContent = named(chosen);
      select.appendChild(extra);
    }
    select.value = chosen;
  }
  select.addEventListener("change", function () {
    remember(select.value);
    show(select.value || own);
  });
  document.getElementById("picker").hidden = false;
  filters();
  show(chosen || own);
})();
"""

# An Arabic page reads right to left; the bands stay a left-to-right time line, and the
# times and command lines keep their own left-to-right order (unicode-bidi: isolate).
RTL_CSS = """
th, td { text-align: right; }
.changed, .warning { border-left: 0; padding-left: 0; border-right: 4px solid #000; padding-right: 0.6rem; }
.warning { border-right-color: #8a5a00; }
.skip { left: auto; right: -999px; }
tr.depth-2 td:nth-child(2) { padding-left: 0.4rem; padding-right: 1.4rem; }
tr.depth-3 td:nth-child(2) { padding-left: 0.4rem; padding-right: 2.4rem; }
figure.bands .wide { direction: ltr; }
time, code { unicode-bidi: isolate; direction: ltr; }
"""

# The script in another language: the same program, with its English words and its English
# date (`Tue 26 Sep 2023`) replaced by the catalog's words and Intl.DateTimeFormat in the
# page's language. The English script is left exactly as it is (its bytes, and the hash in the
# page's Content-Security-Policy, do not move); each replaced piece must be found once.
SCRIPT_WORDS = (
    ('  "use strict";\n', '  "use strict";\n  var LANG = __LANG__, T = __WORDS__;\n'
                          '  function say(text, values) { return text.replace(/\\{(\\w+)\\}/g, '
                          'function (m, k) { return String(values[k]); }); }\n'),
    ('      var when = a.weekday + " " + a.day + " " + months[Number(a.date.slice(5, 7)) - 1] + " " + a.date.slice(0, 4);\n',
     '      var when = new Intl.DateTimeFormat(LANG, {timeZone: zone, weekday: "long", day: "numeric", month: "long", '
     'year: "numeric"}).format(start);\n'),
    ('shift === 0 ? "same day as in " + home : (shift > 0 ? "+" + shift : "\\u2212" + (-shift)) + " day";',
     'shift === 0 ? say(T.same, {city: home}) : say(T.shift, {shift: shift > 0 ? "+" + shift : "\\u2212" + (-shift)});'),
    ('day.textContent = "on " + when + " (" + note + ")";', 'day.textContent = say(T.on, {date: when, note: note});'),
    ('(zone === own ? " (this device)" : "")', '(zone === own ? " " + T.device : "")'),
    ('select.options[0].textContent = "this device\\u2019s time zone (" + named(own) + ")";',
     'select.options[0].textContent = say(T.yours, {zone: named(own)});'),
    ('shown.textContent = q ? n + " of " + rows.length + " members shown" : "";',
     'shown.textContent = q ? say(T.shown, {n: n, total: rows.length}) : "";'),
)


def script_in(say: Say) -> str:
    """The page's script; in another language, with its words and dates in that language."""
    js = SCRIPT.strip("\n") + "\n"
    if say.words is None:
        return js
    import json

    # The placeholders stay for the script to fill: each is given as itself.
    words = {"same": say("same day as in {city}", city="{city}"), "shift": say("{shift} day", shift="{shift}"),
             "on": say("on {date} ({note})", date="{date}", note="{note}"), "device": say("(this device)"),
             "yours": say("this device’s time zone ({zone})", zone="{zone}"),
             "shown": say("{n} of {total} members shown", n="{n}", total="{total}")}
    # Latin digits, as CLDR through Babel writes the rest of the page (Arabic included).
    values = {"__LANG__": json.dumps(f"{say.lang}-u-nu-latn"),
              "__WORDS__": json.dumps(words, ensure_ascii=False).replace("<", "\\u003c")}
    for old, new in SCRIPT_WORDS:
        assert js.count(old) == 1, old  # the English script changed: update SCRIPT_WORDS with it
        for key, value in values.items():
            new = new.replace(key, value)
        js = js.replace(old, new)
    return js
