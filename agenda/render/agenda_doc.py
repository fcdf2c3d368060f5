"""The provisional agenda of each segment, as a UN secretariat issues it, and its renderings.

`agenda_document` turns the meeting into an `AgendaDoc` (numbers, lead acronyms, planned start
times, overrun warnings); `to_markdown`, `to_html` and `to_docx_bytes` only lay it out (the
terminal view is `som agenda`'s own, in agenda/commands/agenda.py). Nothing is invented: a segment without items says "Agenda items to be announced."
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

TBA = "Agenda items to be announced."


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

    @property
    def clock(self) -> str:
        """The planned start as printed: `15:20`, or `02:15 CET` after the clocks changed."""
        if self.start is None:
            return ""
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


# --- building ------------------------------------------------------------------------------

def agenda_document(meeting: Meeting, segment_ids=(), *, stamp: datetime | None = None) -> AgendaDoc:
    """The provisional agenda of the named segments (all when none are named). `stamp`: the
    document's created date (agenda.effects.clock.build_stamp), else meeting.document_stamp."""
    segments = tuple(_segment_agenda(meeting, s) for s in select_segments(meeting, tuple(segment_ids)))
    return AgendaDoc(meeting.id, meeting.body, meeting.title, meeting.city, meeting.zone_name,
                     stamp or meeting.document_stamp, segments)


def _segment_agenda(meeting: Meeting, segment: Segment) -> SegmentAgenda:
    timed = any(_has_minutes(i) for i in segment.items)
    warnings: list[str] = []
    leads = {m.id: m for m in meeting.members}
    items, _ = _plan(segment.items, segment.start if timed else None, 1, "", leads, warnings)
    planned = planned_minutes(segment.items)
    if segment.status == "cancelled":
        warnings[:] = ["Cancelled: this segment will not be held."]
    elif planned.minutes > segment.minutes:
        least = "" if planned.complete else "at least "
        unknown = "" if planned.complete else "; some items have no minutes"
        warnings.insert(0, f"Warning: the items' planned time ({least}{_duration(planned.minutes)}{unknown}) "
                           f"overruns the segment ({_duration(segment.minutes)}) by "
                           f"{least}{_duration(planned.minutes - segment.minutes)}.")
    start_utc, end_utc = segment.start.astimezone(UTC), segment.end.astimezone(UTC)
    utc_text = f"{start_utc:%H:%M}–{end_utc:%H:%M} UTC"
    if start_utc.date() != segment.start.date():
        utc_text += f", {start_utc:%a %d %b}"
    return SegmentAgenda(
        segment_id=segment.id, title=segment.title, symbol=segment.symbol, distribution=segment.distribution,
        date_text=f"{segment.start:%A}, {segment.start.day} {segment.start:%B %Y}",
        time_text=f"{span_text(segment.start, segment.end)} ({utc_text})",
        start=segment.start, end=segment.end, venue=meeting.location_of(segment),
        online_url=meeting.online_url_of(segment), chair=segment.chair, status=segment.status,
        notes=segment.notes, items=items, timed=timed, warnings=tuple(warnings))


def _has_minutes(item: AgendaItem) -> bool:
    return item.minutes is not None or any(_has_minutes(i) for i in item.items)


def _plan(items, cursor: datetime | None, depth: int, parent_ref: str, leads, warnings, first: str | None = None):
    """Entries with planned starts; returns (entries, total minutes or None if any is unknown)."""
    entries = []
    total: int | None = 0
    zone = cursor.tzinfo if cursor is not None else None
    if first is None:  # the segment's start: later starts name their zone when it is another
        first = abbreviation(cursor) if cursor is not None else ""
    for index, item in enumerate(items):
        number, ref = item_number(index, depth)
        ref = f"{parent_ref} {ref}".strip()
        children, children_total = _plan(item.items, cursor, depth + 1, ref, leads, warnings, first)
        known_children = sum(c.minutes or 0 for c in children)
        minutes = item.minutes if item.minutes is not None else (children_total if item.items else None)
        if item.minutes is not None and known_children > item.minutes:
            warnings.append(f"Warning: the sub-items of item {ref} take {_duration(known_children)}, "
                            f"more than the item's {_duration(item.minutes)}.")
        lead = leads.get(item.lead) if item.lead else None
        entries.append(AgendaEntry(
            number=number, ref=ref, title=item.title, depth=depth,
            lead=lead.acronym if lead else item.lead, lead_name=lead.name if lead else None,
            documents=item.documents, notes=item.notes, minutes=minutes, start=cursor, items=children,
            label=abbreviation(cursor) if cursor is not None and abbreviation(cursor) != first else ""))
        # Elapsed time, in UTC: wall-clock addition would give a start that does not exist on the
        # night the clocks go forward (01:00 + 75 min = 02:15) and an hour wrong when they go back.
        cursor = ((cursor.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)
                  if cursor is not None and minutes is not None else None)
        total = total + minutes if total is not None and minutes is not None else None
    return tuple(entries), total


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def segment_facts(seg: SegmentAgenda) -> list[tuple[str, str]]:
    facts = [("Date", seg.date_text), ("Time", seg.time_text), ("Venue", seg.venue or "to be announced")]
    if seg.online_url:
        facts.append(("Online", seg.online_url))
    if seg.chair:
        facts.append(("Chair", seg.chair))
    if seg.status != "confirmed":
        facts.append(("Status", seg.status))
    return facts


def _details(entry: AgendaEntry) -> list[str]:
    out = []
    if entry.start is not None:
        out.append(entry.clock + (f" ({_duration(entry.minutes)})" if entry.minutes else ""))
    elif entry.minutes:
        out.append(_duration(entry.minutes))
    if entry.lead:
        out.append(f"lead: {entry.lead}")
    if entry.documents:
        out.append("documents: " + ", ".join(entry.documents))
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
    ident = [_md(x) for x in (seg.symbol, f"Distribution: {seg.distribution}" if seg.distribution else None) if x]
    if ident:
        out += ["  \n".join(ident), ""]
    out += [f"# {_md(seg.title)}", ""]
    out += [f"- **{name}:** {value if name == 'Online' else _md(value)}" for name, value in segment_facts(seg)]
    out += ["", "## Provisional agenda", ""]
    if not seg.items:
        out += [TBA, ""]
    for item in seg.items:
        _md_item(item, out, indent="")
    if seg.items:
        out.append("")
    for warning in seg.warnings:
        out += [f"**{_md(warning)}**", ""]
    annotations = annotations_of(seg)
    if annotations:
        out += ["## Annotations", ""]
        for ref, notes in annotations:
            first = True
            for kind, lines in note_blocks(notes):
                if kind == "ul":
                    out += [f"- {_md(line)}" for line in lines] + [""]
                else:
                    lead_in = f"**Item {ref}.** " if ref and first else ""
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


def to_html(doc: AgendaDoc) -> str:
    title = f"Provisional agenda — {doc.meeting_title}"
    if len(doc.segments) == 1:
        title = f"Provisional agenda — {doc.segments[0].title} — {doc.meeting_title}"
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", "<style>", _CSS.rstrip("\n"), "</style>", "</head>", "<body>"]
    for seg in doc.segments:
        out += _segment_html(doc, seg)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _segment_html(doc: AgendaDoc, seg: SegmentAgenda) -> list[str]:
    out = [f'<section class="segment" id="segment-{_e(seg.segment_id)}">', '<div class="masthead">',
           f'<div class="body">{_e(doc.body or "")}</div>']
    ident = [_e(x) for x in (seg.symbol, f"Distribution: {seg.distribution}" if seg.distribution else None) if x]
    out += [f'<div class="symbol">{"<br>".join(ident)}</div>', "</div>",
            f'<p class="meeting">{_e(doc.meeting_title)}</p>', f"<h1>{_e(seg.title)}</h1>", '<dl class="facts">']
    for name, value in segment_facts(seg):
        shown = f'<a href="{_e(value)}">{_e(value)}</a>' if name == "Online" else _e(value)
        out.append(f"<dt>{name}</dt><dd>{shown}</dd>")
    out += ["</dl>", "<h2>Provisional agenda</h2>"]
    if not seg.items:
        out.append(f'<p class="tba">{TBA}</p>')
    else:
        columns = item_columns(seg)
        out += ['<table class="items">', "<thead><tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr></thead>",
                "<tbody>"]
        for entry in seg.entries():
            cells = item_cells(seg, entry)
            out.append(f'<tr class="depth-{entry.depth}">'
                       + "".join(f'<td class="{cls}">{_e(text)}</td>' for cls, text in zip(_classes(columns), cells))
                       + "</tr>")
        out += ["</tbody>", "</table>"]
    out += [f'<p class="warning">{_e(w)}</p>' for w in seg.warnings]
    annotations = annotations_of(seg)
    if annotations:
        out.append("<h2>Annotations</h2>")
        for ref, notes in annotations:
            first = True
            for kind, lines in note_blocks(notes):
                if kind == "ul":
                    out += ["<ul>"] + [f"<li>{_e(line)}</li>" for line in lines] + ["</ul>"]
                else:
                    lead_in = f"<strong>Item {_e(ref)}.</strong> " if ref and first else ""
                    out.append(f"<p>{lead_in}{_e(lines[0])}</p>")
                first = False
    out.append("</section>")
    return out


def item_columns(seg: SegmentAgenda) -> list[str]:
    columns = ["No.", "Item"]
    if seg.has_leads:
        columns.append("Lead")
    if seg.has_documents:
        columns.append("Documents")
    if seg.timed:
        columns.append("Start")
    return columns


def _classes(columns: list[str]) -> list[str]:
    return [{"No.": "no", "Item": "title", "Lead": "lead", "Documents": "documents", "Start": "start"}[c]
            for c in columns]


def item_cells(seg: SegmentAgenda, entry: AgendaEntry) -> list[str]:
    cells = [entry.number, entry.title]
    if seg.has_leads:
        cells.append(entry.lead or "")
    if seg.has_documents:
        cells.append(", ".join(entry.documents))
    if seg.timed:
        start = entry.clock
        cells.append(start + (f" ({_duration(entry.minutes)})" if entry.minutes else ""))
    return cells


# --- Word ----------------------------------------------------------------------------------

def to_docx_bytes(doc: AgendaDoc) -> bytes:
    """A .docx with real headings and a table of items; the same bytes on every run."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.title = f"Provisional agenda — {doc.meeting_title}"
    props.subject = ", ".join(s.title for s in doc.segments)
    props.author = doc.body or "som"
    props.last_modified_by = "som"
    props.comments = ""
    props.keywords = " ".join(s.symbol for s in doc.segments if s.symbol)
    props.identifier = doc.meeting_id
    props.revision = 1
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
        ident = [x for x in (seg.symbol, f"Distribution: {seg.distribution}" if seg.distribution else None) if x]
        if ident:
            document.add_paragraph("\n".join(ident))
        document.add_heading(seg.title, level=1)
        for name, value in segment_facts(seg):
            p = document.add_paragraph()
            p.add_run(f"{name}: ").bold = True
            p.add_run(value)
        document.add_heading("Provisional agenda", level=2)
        if not seg.items:
            document.add_paragraph(TBA).runs[0].italic = True
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
            document.add_heading("Annotations", level=2)
            for ref, notes in annotations:
                first = True
                for kind, lines in note_blocks(notes):
                    if kind == "ul":
                        for line in lines:
                            document.add_paragraph(line, style="List Bullet")
                    else:
                        p = document.add_paragraph()
                        if ref and first:
                            p.add_run(f"Item {ref}. ").bold = True
                        p.add_run(lines[0])
                    first = False
    buf = io.BytesIO()
    document.save(buf)
    return _stable_zip(buf.getvalue(), doc.stamp)


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """python-docx stamps every zip entry with the wall clock; rewrite them with `stamp`."""
    import zipfile

    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
