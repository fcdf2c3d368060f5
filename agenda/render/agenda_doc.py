"""The provisional agenda of each segment, as a UN secretariat issues it, and its renderings.

`agenda_document` turns the meeting into an `AgendaDoc` (numbers, lead acronyms, planned start
times, overrun warnings); `to_markdown`, `to_html` and `to_docx_bytes` only lay it out (the
terminal view is `som agenda`'s own, in agenda/commands/agenda.py). Nothing is invented: a segment without items says "Agenda items to be announced."

In a language other than English (`lang`), the fixed phrases come from the gettext catalogs and
the dates, times, zone names and durations from CLDR (`render/language.py`); titles are the meeting
file's translations where it gives them (`title_fr = "…"`). English keeps its own writers below,
so its bytes do not move; Arabic is laid out right to left (HTML `dir="rtl"`, Word `w:bidi`).
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from agenda.model.items import item_number, planned_minutes
from agenda.model.meeting import AgendaItem, Meeting, Segment
from agenda.plan.schedule import select_segments, span_text
from agenda.model.timeplan import UTC, abbreviation
from agenda.render.language import RIGHT_TO_LEFT, Words


def N_(message: str) -> str:
    """Marks a phrase for the catalogs where it is named, translated where it is used."""
    return message


TBA = N_("Agenda items to be announced.")
PROVISIONAL_AGENDA = N_("Provisional agenda")
ANNOTATIONS = N_("Annotations")
ONLINE = N_("Online")
CANCELLED = N_("Cancelled: this segment will not be held.")
OVERRUN = N_("Warning: the items' planned time ({planned}) overruns the segment ({segment}) by {over}.")
OVERRUN_AT_LEAST = N_("Warning: the items' planned time (at least {planned}; some items have no minutes) overruns the segment ({segment}) by at least {over}.")
SUB_ITEMS_OVERRUN = N_("Warning: the sub-items of item {ref} take {children}, more than the item's {minutes}.")
# The segment's status as the facts show it when it is not "confirmed".
STATUS_WORDS = {"tentative": N_("tentative"), "cancelled": N_("cancelled")}
# The items table's columns: (key, heading); the key is the HTML class.
COLUMNS = {"no": N_("No."), "title": N_("Item"), "lead": N_("Lead"), "documents": N_("Documents"), "start": N_("Start")}


def say_in(lang: str):
    """`say(message, **values)` in `lang`: the catalog's phrase, or the English message id itself."""
    if lang == "en":
        return lambda message, **values: message.format(**values) if values else message
    return Words(lang).say


@dataclass(frozen=True)
class AgendaEntry:
    number: str  # as printed: "1.", "(a)", "(i)"
    ref: str  # as cited in annotations: "2", "2 (a)"
    title: str
    depth: int  # 1 for items, 2 for sub-items (a), 3 for (i)
    lead: str | None = None  # the lead entity's acronym
    lead_name: str | None = None
    documents: tuple[str, ...] = ()
    notes: str | None = None
    minutes: int | None = None  # the item's own, or the sum of its sub-items'
    start: datetime | None = None  # planned, in the home zone; None when earlier minutes are unknown
    items: tuple["AgendaEntry", ...] = ()
    label: str = ""  # the zone's abbreviation when it is not the segment start's (the clocks changed)
    lang: str = "en"

    @property
    def clock(self) -> str:
        """The planned start as printed: `15:20`, or `02:15 CET` after the clocks changed."""
        if self.start is None:
            return ""
        if self.lang != "en":
            return Words(self.lang).clock(self.start) + (f" {self.label}" if self.label else "")
        return f"{self.start:%H:%M}" + (f" {self.label}" if self.label else "")

    def walk(self):
        yield self
        for child in self.items:
            yield from child.walk()


@dataclass(frozen=True)
class SegmentAgenda:
    segment_id: str
    title: str
    symbol: str | None
    distribution: str | None
    date_text: str  # "Tuesday, 16 May 2023"
    time_text: str  # "15:00–17:00 CEST (13:00–15:00 UTC)"
    start: datetime
    end: datetime
    venue: str | None
    online_url: str | None
    chair: str | None
    status: str
    notes: str | None
    items: tuple[AgendaEntry, ...]
    timed: bool  # some item has minutes: show planned start times
    warnings: tuple[str, ...]
    lang: str = "en"  # the language it is written in (one of LANGUAGES)

    def entries(self):
        for item in self.items:
            yield from item.walk()

    @property
    def has_leads(self) -> bool:
        return any(e.lead for e in self.entries())

    @property
    def has_documents(self) -> bool:
        return any(e.documents for e in self.entries())


@dataclass(frozen=True)
class AgendaDoc:
    meeting_id: str
    body: str | None
    meeting_title: str
    city: str | None
    zone_name: str
    stamp: datetime  # reproducible "created" time for the DOCX core properties
    segments: tuple[SegmentAgenda, ...]
    lang: str = "en"


# --- building ------------------------------------------------------------------------------

def agenda_document(meeting: Meeting, segment_ids=(), *, stamp: datetime | None = None,
                    lang: str = "en") -> AgendaDoc:
    """The provisional agenda of the named segments (all when none are named). `stamp`: the
    document's created date (agenda.effects.clock.build_stamp), else meeting.document_stamp;
    `lang`: the language it is written in (one of LANGUAGES)."""
    segments = tuple(_segment_agenda(meeting, s, lang) for s in select_segments(meeting, tuple(segment_ids)))
    return AgendaDoc(meeting.id, meeting.body, meeting.title_in(lang), meeting.city, meeting.zone_name,
                     stamp or meeting.document_stamp, segments, lang)


def _segment_agenda(meeting: Meeting, segment: Segment, lang: str = "en") -> SegmentAgenda:
    say = say_in(lang)
    timed = any(_has_minutes(i) for i in segment.items)
    warnings: list[str] = []
    leads = {m.id: m for m in meeting.members}
    items, _ = _plan(segment.items, segment.start if timed else None, 1, "", leads, warnings, lang=lang)
    planned = planned_minutes(segment.items)
    if segment.status == "cancelled":
        warnings[:] = [say(CANCELLED)]
    elif planned.minutes > segment.minutes:
        values = dict(planned=duration(planned.minutes, lang), segment=duration(segment.minutes, lang),
                      over=duration(planned.minutes - segment.minutes, lang))
        warnings.insert(0, say(OVERRUN if planned.complete else OVERRUN_AT_LEAST, **values))
    if lang != "en":
        date_text, time_text = _when_in(Words(lang), segment)
    else:
        start_utc, end_utc = segment.start.astimezone(UTC), segment.end.astimezone(UTC)
        utc_text = f"{start_utc:%H:%M}–{end_utc:%H:%M} UTC"
        if start_utc.date() != segment.start.date():
            utc_text += f", {start_utc:%a %d %b}"
        date_text = f"{segment.start:%A}, {segment.start.day} {segment.start:%B %Y}"
        time_text = f"{span_text(segment.start, segment.end)} ({utc_text})"
    return SegmentAgenda(
        segment_id=segment.id, title=segment.title_in(lang), symbol=segment.symbol, distribution=segment.distribution,
        date_text=date_text, time_text=time_text,
        start=segment.start, end=segment.end, venue=meeting.location_of(segment),
        online_url=meeting.online_url_of(segment), chair=segment.chair, status=segment.status,
        notes=segment.notes, items=items, timed=timed, warnings=tuple(warnings), lang=lang)


def _when_in(words: Words, segment: Segment) -> tuple[str, str]:
    """The date and `15:00–17:00 <CLDR zone name> (13:00–15:00 UTC)` in another language."""
    start_utc, end_utc = segment.start.astimezone(UTC), segment.end.astimezone(UTC)
    utc_text = f"{words.clock_span(start_utc, end_utc)} UTC"
    if start_utc.date() != segment.start.date():
        utc_text += f", {words.short_date(start_utc)}"
    time_text = f"{words.clock_span(segment.start, segment.end)} {words.zone_names(segment.start, segment.end)}"
    return words.long_date(segment.start), f"{time_text} ({utc_text})"


def _has_minutes(item: AgendaItem) -> bool:
    return item.minutes is not None or any(_has_minutes(i) for i in item.items)


def _plan(items, cursor: datetime | None, depth: int, parent_ref: str, leads, warnings, first: str | None = None,
          *, lang: str = "en"):
    """Entries with planned starts; returns (entries, total minutes or None if any is unknown)."""
    entries = []
    total: int | None = 0
    zone = cursor.tzinfo if cursor is not None else None
    if first is None:  # the segment's start: later starts name their zone when it is another
        first = abbreviation(cursor) if cursor is not None else ""
    for index, item in enumerate(items):
        number, ref = item_number(index, depth)
        ref = f"{parent_ref} {ref}".strip()
        children, children_total = _plan(item.items, cursor, depth + 1, ref, leads, warnings, first, lang=lang)
        known_children = sum(c.minutes or 0 for c in children)
        minutes = item.minutes if item.minutes is not None else (children_total if item.items else None)
        if item.minutes is not None and known_children > item.minutes:
            warnings.append(say_in(lang)(SUB_ITEMS_OVERRUN, ref=ref, children=duration(known_children, lang),
                                         minutes=duration(item.minutes, lang)))
        lead = leads.get(item.lead) if item.lead else None
        entries.append(AgendaEntry(
            number=number, ref=ref, title=item.title_in(lang), depth=depth, lang=lang,
            lead=lead.acronym if lead else item.lead, lead_name=lead.name if lead else None,
            documents=item.documents, notes=item.notes, minutes=minutes, start=cursor, items=children,
            label=abbreviation(cursor) if cursor is not None and abbreviation(cursor) != first else ""))
        # Elapsed time, in UTC: wall-clock addition would give a start that does not exist on the
        # night the clocks go forward (01:00 + 75 min = 02:15) and an hour wrong when they go back.
        cursor = ((cursor.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)
                  if cursor is not None and minutes is not None else None)
        total = total + minutes if total is not None and minutes is not None else None
    return tuple(entries), total


def duration(minutes: int, lang: str = "en") -> str:
    """`1 h 30 min`; in another language CLDR's short units (`1 ч 30 мин`), joined as the catalog says."""
    hours, rest = divmod(minutes, 60)
    if lang != "en":
        from babel.units import format_unit

        def unit(n: int, name: str) -> str:
            return format_unit(n, name, length="short", locale=lang)
        if hours and rest:
            return Words(lang).say("{hours} {minutes}", hours=unit(hours, "duration-hour"),
                                   minutes=unit(rest, "duration-minute"))
        return unit(hours, "duration-hour") if hours else unit(rest, "duration-minute")
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def fact_label(seg: SegmentAgenda, name: str) -> str:
    """`Date:` as its language writes a label before its value (`Date :` in French, `日期：` in Chinese)."""
    say = say_in(seg.lang)
    return say("{label}:", label=name)


def segment_facts(seg: SegmentAgenda) -> list[tuple[str, str]]:
    say = say_in(seg.lang)
    facts = [(say("Date"), seg.date_text), (say("Time"), seg.time_text),
             (say("Venue"), seg.venue or say("to be announced"))]
    if seg.online_url:
        facts.append((say(ONLINE), seg.online_url))
    if seg.chair:
        facts.append((say("Chair"), seg.chair))
    if seg.status != "confirmed":
        facts.append((say("Status"), say(STATUS_WORDS[seg.status]) if seg.status in STATUS_WORDS else seg.status))
    return facts


def distribution_line(seg: SegmentAgenda) -> str | None:
    say = say_in(seg.lang)
    return say("Distribution: {distribution}", distribution=seg.distribution) if seg.distribution else None


def item_lead_in(seg: SegmentAgenda, ref: str) -> str:
    """`Item 2 (a).`: how an annotation names its item."""
    say = say_in(seg.lang)
    return say("Item {ref}.", ref=ref)


def _details(entry: AgendaEntry) -> list[str]:
    say = say_in(entry.lang)
    out = []
    if entry.start is not None:
        out.append(entry.clock + (f" ({duration(entry.minutes, entry.lang)})" if entry.minutes else ""))
    elif entry.minutes:
        out.append(duration(entry.minutes, entry.lang))
    if entry.lead:
        out.append(say("lead: {lead}", lead=entry.lead))
    if entry.documents:
        out.append(say("documents: {documents}", documents=", ".join(entry.documents)))
    return out


def note_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Notes as ("p", [line]) paragraphs and ("ul", [items]) lists ("- " lines)."""
    blocks: list[tuple[str, list[str]]] = []
    for line in (l.strip() for l in text.splitlines()):
        if not line:
            continue
        if line.startswith(("- ", "* ")):
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].append(line[2:].strip())
            else:
                blocks.append(("ul", [line[2:].strip()]))
        else:
            blocks.append(("p", [line]))
    return blocks


def annotations_of(seg: SegmentAgenda) -> list[tuple[str | None, str]]:
    """(item ref or None for the segment, notes) in document order."""
    out: list[tuple[str | None, str]] = [(None, seg.notes)] if seg.notes else []
    out += [(e.ref, e.notes) for e in seg.entries() if e.notes]
    return out


# --- Markdown ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(doc: AgendaDoc) -> str:
    parts = [_segment_markdown(doc, seg) for seg in doc.segments]
    return "\n---\n\n".join(parts)


def _segment_markdown(doc: AgendaDoc, seg: SegmentAgenda) -> str:
    out: list[str] = []
    masthead = [f"**{_md(doc.body)}**"] if doc.body else []
    masthead.append(_md(doc.meeting_title))
    out += ["  \n".join(masthead), ""]
    say = say_in(seg.lang)
    ident = [_md(x) for x in (seg.symbol, distribution_line(seg)) if x]
    if ident:
        out += ["  \n".join(ident), ""]
    out += [f"# {_md(seg.title)}", ""]
    out += [f"- **{fact_label(seg, name)}** {value if name == say(ONLINE) else _md(value)}"
            for name, value in segment_facts(seg)]
    out += ["", f"## {say(PROVISIONAL_AGENDA)}", ""]
    if not seg.items:
        out += [say(TBA), ""]
    for item in seg.items:
        _md_item(item, out, indent="")
    if seg.items:
        out.append("")
    for warning in seg.warnings:
        out += [f"**{_md(warning)}**", ""]
    annotations = annotations_of(seg)
    if annotations:
        out += [f"## {say(ANNOTATIONS)}", ""]
        for ref, notes in annotations:
            first = True
            for kind, lines in note_blocks(notes):
                if kind == "ul":
                    out += [f"- {_md(line)}" for line in lines] + [""]
                else:
                    lead_in = f"**{_md(item_lead_in(seg, ref))}** " if ref and first else ""
                    out += [lead_in + _md(lines[0]), ""]
                first = False
    return "\n".join(out).rstrip("\n") + "\n"


def _md_item(entry: AgendaEntry, out: list[str], indent: str) -> None:
    details = _details(entry)
    tail = " — " + "; ".join(_md(d) for d in details) if details else ""
    if entry.depth == 1:
        out.append(f"{entry.number} {_md(entry.title)}{tail}")
        child_indent = "   "
    else:
        out.append(f"{indent}- {entry.number} {_md(entry.title)}{tail}")
        child_indent = indent + "  "
    for child in entry.items:
        _md_item(child, out, child_indent)


# --- HTML ----------------------------------------------------------------------------------

_CSS = """\
@page { size: A4; margin: 2cm; }
body { font-family: "Times New Roman", Times, serif; color: #000; background: #fff;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
.masthead { display: flex; justify-content: space-between; gap: 1rem;
            border-bottom: 2px solid #000; padding-bottom: .4rem; }
.masthead .body { font-weight: bold; }
.masthead .symbol { text-align: right; }
.meeting { margin: .6rem 0 0; }
h1 { font-size: 1.5rem; margin: 1.2rem 0 .6rem; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 .5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table.items { width: 100%; border-collapse: collapse; }
table.items th, table.items td { border: 1px solid #888; padding: .3rem .45rem; text-align: left;
                                  vertical-align: top; }
table.items th { background: #eee; }
table.items tr.depth-2 td.title { padding-left: 1.6rem; }
table.items tr.depth-3 td.title { padding-left: 2.8rem; }
td.no, td.start { white-space: nowrap; }
.warning { color: #a00000; font-weight: bold; }
.tba { font-style: italic; }
section.segment + section.segment { break-before: page; page-break-before: always;
                                     margin-top: 3rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  a { color: inherit; text-decoration: none; }
  table.items th { background: none; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


# Right to left (Arabic): the same page mirrored; the left-aligned cells and indents of _CSS turn round.
_CSS_RTL = """\
.masthead .symbol { text-align: left; }
table.items th, table.items td { text-align: right; }
table.items tr.depth-2 td.title { padding-left: .45rem; padding-right: 1.6rem; }
table.items tr.depth-3 td.title { padding-left: .45rem; padding-right: 2.8rem; }
"""


def to_html(doc: AgendaDoc) -> str:
    heading = say_in(doc.lang)(PROVISIONAL_AGENDA)
    title = f"{heading} — {doc.meeting_title}"
    if len(doc.segments) == 1:
        title = f"{heading} — {doc.segments[0].title} — {doc.meeting_title}"
    rtl = doc.lang in RIGHT_TO_LEFT
    css = _CSS + (_CSS_RTL if rtl else "")
    out = ["<!DOCTYPE html>", f'<html lang="{doc.lang}"' + (' dir="rtl">' if rtl else ">"), "<head>",
           '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", "<style>", css.rstrip("\n"), "</style>", "</head>", "<body>"]
    for seg in doc.segments:
        out += _segment_html(doc, seg)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _segment_html(doc: AgendaDoc, seg: SegmentAgenda) -> list[str]:
    out = [f'<section class="segment" id="segment-{_e(seg.segment_id)}">', '<div class="masthead">',
           f'<div class="body">{_e(doc.body or "")}</div>']
    say = say_in(seg.lang)
    ident = [_e(x) for x in (seg.symbol, distribution_line(seg)) if x]
    out += [f'<div class="symbol">{"<br>".join(ident)}</div>', "</div>",
            f'<p class="meeting">{_e(doc.meeting_title)}</p>', f"<h1>{_e(seg.title)}</h1>", '<dl class="facts">']
    for name, value in segment_facts(seg):
        shown = f'<a href="{_e(value)}">{_e(value)}</a>' if name == say(ONLINE) else _e(value)
        out.append(f"<dt>{_e(name)}</dt><dd>{shown}</dd>")
    out += ["</dl>", f"<h2>{_e(say(PROVISIONAL_AGENDA))}</h2>"]
    if not seg.items:
        out.append(f'<p class="tba">{_e(say(TBA))}</p>')
    else:
        columns = item_columns(seg)
        out += ['<table class="items">', "<thead><tr>" + "".join(f"<th>{_e(c)}</th>" for c in columns) + "</tr></thead>",
                "<tbody>"]
        for entry in seg.entries():
            cells = item_cells(seg, entry)
            out.append(f'<tr class="depth-{entry.depth}">'
                       + "".join(f'<td class="{cls}">{_e(text)}</td>' for cls, text in zip(_column_keys(seg), cells))
                       + "</tr>")
        out += ["</tbody>", "</table>"]
    out += [f'<p class="warning">{_e(w)}</p>' for w in seg.warnings]
    annotations = annotations_of(seg)
    if annotations:
        out.append(f"<h2>{_e(say(ANNOTATIONS))}</h2>")
        for ref, notes in annotations:
            first = True
            for kind, lines in note_blocks(notes):
                if kind == "ul":
                    out += ["<ul>"] + [f"<li>{_e(line)}</li>" for line in lines] + ["</ul>"]
                else:
                    lead_in = f"<strong>{_e(item_lead_in(seg, ref))}</strong> " if ref and first else ""
                    out.append(f"<p>{lead_in}{_e(lines[0])}</p>")
                first = False
    out.append("</section>")
    return out


def _column_keys(seg: SegmentAgenda) -> list[str]:
    """The items table's columns, by key (the HTML class): the lead, documents and start only when some item has one."""
    keys = ["no", "title"]
    if seg.has_leads:
        keys.append("lead")
    if seg.has_documents:
        keys.append("documents")
    if seg.timed:
        keys.append("start")
    return keys


def item_columns(seg: SegmentAgenda) -> list[str]:
    """The items table's headings, in the segment's language."""
    say = say_in(seg.lang)
    return [say(COLUMNS[key]) for key in _column_keys(seg)]


def item_cells(seg: SegmentAgenda, entry: AgendaEntry) -> list[str]:
    cells = [entry.number, entry.title]
    if seg.has_leads:
        cells.append(entry.lead or "")
    if seg.has_documents:
        cells.append(", ".join(entry.documents))
    if seg.timed:
        start = entry.clock
        cells.append(start + (f" ({duration(entry.minutes, entry.lang)})" if entry.minutes else ""))
    return cells


# --- Word ----------------------------------------------------------------------------------

def _property(text: str) -> str:
    """A core property of a .docx holds at most 255 characters (python-docx refuses more)."""
    return text if len(text) <= 255 else text[:254] + "…"


def to_docx_bytes(doc: AgendaDoc) -> bytes:
    """A .docx with real headings and a table of items; the same bytes on every run."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    say = say_in(doc.lang)
    document = docx.Document()
    props = document.core_properties
    props.title = _property(f"{say(PROVISIONAL_AGENDA)} — {doc.meeting_title}")
    props.subject = _property(", ".join(s.title for s in doc.segments))
    props.author = _property(doc.body or "som")
    props.last_modified_by = "som"
    props.comments = ""
    props.keywords = _property(" ".join(s.symbol for s in doc.segments if s.symbol))
    props.identifier = _property(doc.meeting_id)
    props.revision = 1
    if doc.lang != "en":
        props.language = doc.lang
    stamp = doc.stamp.replace(tzinfo=None)
    props.created = props.modified = props.last_printed = stamp
    document.styles["Normal"].font.size = Pt(11)
    # The default template carries a thumbnail of some other page: file browsers would show it.
    package_rels = document.part.package.rels
    for rel_id in [r for r, rel in package_rels.items() if rel.reltype.endswith("/metadata/thumbnail")]:
        package_rels.pop(rel_id)

    for n, seg in enumerate(doc.segments):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if doc.body:
            document.add_paragraph().add_run(doc.body).bold = True
        document.add_paragraph(doc.meeting_title)
        ident = [x for x in (seg.symbol, distribution_line(seg)) if x]
        if ident:
            document.add_paragraph("\n".join(ident))
        document.add_heading(seg.title, level=1)
        for name, value in segment_facts(seg):
            p = document.add_paragraph()
            p.add_run(f"{fact_label(seg, name)} ").bold = True
            p.add_run(value)
        document.add_heading(say(PROVISIONAL_AGENDA), level=2)
        if not seg.items:
            document.add_paragraph(say(TBA)).runs[0].italic = True
        else:
            columns = item_columns(seg)
            table = document.add_table(rows=1, cols=len(columns))
            table.style = "Table Grid"
            for cell, name in zip(table.rows[0].cells, columns):
                cell.text = ""
                cell.paragraphs[0].add_run(name).bold = True
            for entry in seg.entries():
                row = table.add_row().cells
                for i, text in enumerate(item_cells(seg, entry)):
                    row[i].text = text
                if entry.depth > 1:
                    row[1].paragraphs[0].paragraph_format.left_indent = Pt(14 * (entry.depth - 1))
        for warning in seg.warnings:
            document.add_paragraph().add_run(warning).bold = True
        annotations = annotations_of(seg)
        if annotations:
            document.add_heading(say(ANNOTATIONS), level=2)
            for ref, notes in annotations:
                first = True
                for kind, lines in note_blocks(notes):
                    if kind == "ul":
                        for line in lines:
                            document.add_paragraph(line, style="List Bullet")
                    else:
                        p = document.add_paragraph()
                        if ref and first:
                            p.add_run(item_lead_in(seg, ref) + " ").bold = True
                        p.add_run(lines[0])
                    first = False
    if doc.lang in RIGHT_TO_LEFT:
        _right_to_left(document, doc.lang)
    buf = io.BytesIO()
    document.save(buf)
    return _stable_zip(buf.getvalue(), doc.stamp)


def _right_to_left(document, lang: str) -> None:
    """Every paragraph right to left (`w:bidi`), every run a right-to-left run (`w:rtl`) in `lang`,
    tables laid out from the right (`w:bidiVisual`) and each section's pages too (`w:bidi`)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = document.element.body

    def mark(parent, tag: str) -> None:
        if parent.find(qn(tag)) is None:
            parent.append(OxmlElement(tag))

    for paragraph in body.iter(qn("w:p")):
        p_pr = paragraph.get_or_add_pPr()
        # the schema orders pPr's children: w:bidi goes before the spacing, indent and alignment
        bidi = OxmlElement("w:bidi")
        later = [c for c in p_pr if c.tag in _AFTER_BIDI]
        if p_pr.find(qn("w:bidi")) is None:
            (later[0].addprevious(bidi) if later else p_pr.append(bidi))
        for run in paragraph.iter(qn("w:r")):
            r_pr = run.get_or_add_rPr()
            mark(r_pr, "w:rtl")
            if r_pr.find(qn("w:lang")) is None:
                language = OxmlElement("w:lang")
                language.set(qn("w:bidi"), lang)
                r_pr.append(language)
    for table_pr in body.iter(qn("w:tblPr")):
        table_pr.insert(1 if table_pr.find(qn("w:tblStyle")) is not None else 0, OxmlElement("w:bidiVisual"))
    for section in body.iter(qn("w:sectPr")):
        if section.find(qn("w:bidi")) is None:
            grid = [c for c in section if c.tag in (qn("w:rtlGutter"), qn("w:docGrid"), qn("w:printerSettings"))]
            (grid[0].addprevious(OxmlElement("w:bidi")) if grid else section.append(OxmlElement("w:bidi")))


# What follows `w:bidi` in a paragraph's properties (ECMA-376 CT_PPrBase, then rPr, sectPr, pPrChange).
_AFTER_BIDI_TAGS = ("adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
                    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
                    "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_AFTER_BIDI = frozenset("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + t for t in _AFTER_BIDI_TAGS)


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """python-docx stamps every zip entry with the wall clock; rewrite them with `stamp`."""
    import zipfile

    when = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    if stamp.year < 1980:  # a zip entry's date runs from 1980 to 2107 (the document's own date is in its properties)
        when = (1980, 1, 1, 0, 0, 0)
    elif stamp.year > 2107:
        when = (2107, 12, 31, 23, 59, 58)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
