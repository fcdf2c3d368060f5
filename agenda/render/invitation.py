"""The words of an invitation: its description, subject, HTML body, and the event to write.

Times are given to each recipient in their own zone first, then in the home zone, in English
whatever the machine's locale (stable bytes).
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

from agenda.model.items import item_number
from agenda.model.meeting import Meeting, Member, Segment
from agenda.plan.invite import Version, clock_span, invitation_organizer, segment_summary, zone_names
from agenda.render import ics

UTC = timezone.utc


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(dt: datetime) -> str:
    """`Tuesday 26 September 2023`, in English whatever the machine's locale (stable bytes)."""
    return f"{DAYS[dt.weekday()]} {dt.day} {MONTHS[dt.month - 1]} {dt.year}"


def short_date(dt: datetime) -> str:
    return f"{DAYS[dt.weekday()][:3]} {dt.day} {MONTHS[dt.month - 1][:3]} {dt.year}"


def place_span(start: datetime, end: datetime, place: str) -> str:
    """`15:00–17:00 Geneva (CEST)`."""
    return f"{clock_span(start, end)} {place} ({zone_names(start, end)})"


def time_lines(meeting: Meeting, segment: Segment, member: Member | None) -> list[str]:
    """The recipient's own time first, then the home zone: lines a person reads at a glance."""
    home_start, home_end = segment.start, segment.end
    home = place_span(home_start, home_end, meeting.city or meeting.zone_name)
    utc = f"{clock_span(home_start.astimezone(UTC), home_end.astimezone(UTC))} UTC"
    if member is None or member.zone.key == meeting.zone.key:
        return [long_date(home_start), f"{home} = {utc}"]
    start, end = home_start.astimezone(member.zone), home_end.astimezone(member.zone)
    line = f"{place_span(start, end, member.city)} = {home}"
    if start.date() != home_start.date():
        line += f", {long_date(home_start)}"
    return [long_date(start), line]


class Texts:
    """The plain text of a meeting's invitations, with what is costly to work out kept once."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting
        leads = {i.lead for s in meeting.segments for i in _all_items(s.items) if i.lead}
        self.leads = {m.id: m.acronym for m in meeting.members if m.id in leads}
        self._tables: dict[str, list[str]] = {}

    def items(self, items, depth: int = 0) -> list[str]:
        out = []
        for index, item in enumerate(items):
            mark, _ = item_number(index, depth + 1)  # numbered as the agenda document numbers them
            text = f"{'   ' * depth}{mark} {item.title}"
            extra = []
            if item.lead:
                extra.append(f"lead: {self.leads.get(item.lead, item.lead)}")
            if item.minutes:
                extra.append(f"{item.minutes} min")
            if extra:
                text += f" ({', '.join(extra)})"
            out.append(text)
            if item.documents:
                out.append(f"{'   ' * (depth + 1)}Documents: {', '.join(item.documents)}")
            out += self.items(item.items, depth + 1)
        return out

    def member_times(self, segment: Segment) -> list[str]:
        """Members' local times, one line per distinct local time: `16:00–18:00 EAT: Addis Ababa, Nairobi`."""
        if segment.id in self._tables:
            return self._tables[segment.id]
        by_zone: dict[str, tuple] = {}
        groups: dict[tuple, set[str]] = {}
        for m in self.meeting.members:
            key = by_zone.get(m.zone.key)
            if key is None:
                start, end = segment.start.astimezone(m.zone), segment.end.astimezone(m.zone)
                day = (start.date() - segment.start.date()).days
                key = by_zone[m.zone.key] = (start.utcoffset(), start.replace(tzinfo=None), end.replace(tzinfo=None),
                                             zone_names(start, end), day)
            groups.setdefault(key, set()).add(m.city)
        out = []
        for (_, start, end, names, day), cities in sorted(groups.items(), key=lambda kv: kv[0][:3]):
            shift = f", {'+' if day > 0 else '−'}{abs(day)} day" if day else ""
            out.append(f"{start:%H:%M}–{end:%H:%M} {names}{shift}: {', '.join(sorted(cities))}")
        self._tables[segment.id] = out
        return out

    def description(self, segment: Segment, status: str, member: Member | None) -> str:
        meeting = self.meeting
        title = segment_summary(meeting, segment)
        lines = [f"CANCELLED: {title}" if status == "cancelled" else title]
        lines += [x for x in (meeting.body, segment.symbol) if x]
        if status == "tentative":
            lines.append("Tentative: the date and time may still change.")
        lines.append("")
        lines += time_lines(meeting, segment, member)
        location = meeting.location_of(segment)
        url = meeting.online_url_of(segment)
        if location:
            lines.append(f"Where: {location}")
        if url:
            lines.append(f"Join online: {url}")
        if segment.chair:
            lines.append(f"Chair: {segment.chair}")
        if segment.items:
            lines += ["", "Agenda"] + self.items(segment.items)
        if segment.notes:
            lines += ["", segment.notes]
        if member is None and meeting.members:
            lines += ["", "Local times of members"] + self.member_times(segment)
        return "\n".join(lines)


def _all_items(items):
    for item in items:
        yield item
        yield from _all_items(item.items)


def html_of(text: str) -> str:
    """The plain text as minimal HTML: paragraphs kept, links clickable."""
    body = html.escape(text)
    body = re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', body)
    return "<html><body><p>" + body.replace("\n\n", "</p><p>").replace("\n", "<br>\n") + "</p></body></html>\n"


def location_text(meeting: Meeting, segment: Segment) -> str | None:
    venue, url = meeting.location_of(segment), meeting.online_url_of(segment)
    if venue and url:
        return f"{venue}: {url}"
    return venue or url


def event_of(meeting: Meeting, segment: Segment, version: Version, alarm_minutes: int | None,
             description_text: str) -> ics.Event:
    url = meeting.online_url_of(segment)
    return ics.Event(
        uid=version.uid, sequence=version.sequence, dtstamp=version.dtstamp,
        start=segment.start, end=segment.end, summary=segment_summary(meeting, segment),
        description=description_text, status=version.values["status"], organizer=invitation_organizer(meeting),
        location=location_text(meeting, segment), url=url, online_url=url, alarm_minutes=alarm_minutes)


def subject_of(meeting: Meeting, segment: Segment, member: Member, version: Version) -> str:
    start, end = segment.start.astimezone(member.zone), segment.end.astimezone(member.zone)
    when = f"{short_date(start)} {clock_span(start, end)} {zone_names(start, end)}"
    what = segment_summary(meeting, segment)
    if version.cancelled:
        return f"Cancelled: {what} ({when})"
    if version.sequence > 0:
        # "Time changed: …", "Date and time changed: …": what changed leads, as people scan subjects
        kinds = [c.split(" changed")[0] for c in version.changes if " changed" in c]
        if kinds:
            said = " and ".join(dict.fromkeys(kinds))
            return f"{said[0].upper()}{said[1:]} changed: {what} ({when})"
        return f"Updated invitation: {what} ({when})"
    return f"Invitation: {what} ({when})"


def change_lines(meeting: Meeting, segment: Segment, member: Member, version: Version) -> list[str]:
    """The first lines of an update's message: what changed, and the new time in the member's
    own zone: `Time changed: 15:00–17:00 → 16:00–18:00 CEST, your time 10:00–12:00 EDT`."""
    if version.cancelled or version.sequence == 0:
        return []
    out = []
    for change in version.changes:
        label, sep, rest = change.partition(" changed ")
        line = f"{label[:1].upper()}{label[1:]} changed: {rest}" if sep else change[:1].upper() + change[1:]
        if label in ("time", "date") and member.zone.key != meeting.zone.key:
            start, end = segment.start.astimezone(member.zone), segment.end.astimezone(member.zone)
            day = f"{short_date(start)} " if label == "date" or start.date() != segment.start.date() else ""
            line += f", your time {day}{clock_span(start, end)} {zone_names(start, end)}"
        out.append(line)
    return out
