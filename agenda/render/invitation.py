"""The words of an invitation: its description, subject, HTML body, and the event to write.

Times are given to each recipient in their own zone first, then in the home zone, in the
recipient's language (`render/language.py`: gettext phrases, CLDR dates) or in English, whatever
the machine's locale (stable bytes). English keeps its own words below, byte for byte as before.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

from agenda.model.items import item_number
from agenda.model.meeting import Meeting, Member, Segment
from agenda.plan.invite import Version, clock_span, invitation_organizer, segment_summary, zone_names
from agenda.render import ics
from agenda.render.language import RIGHT_TO_LEFT, Words

UTC = timezone.utc


def N_(message: str) -> str:
    """Marks a phrase for the catalogs where it is named, translated where it is used."""
    return message


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


def time_lines(meeting: Meeting, segment: Segment, member: Member | None, words: Words | None = None) -> list[str]:
    """The recipient's own time first, then the home zone: lines a person reads at a glance."""
    if words is not None:
        return _time_lines_in(words, meeting, segment, member)
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


def _time_lines_in(words: Words, meeting: Meeting, segment: Segment, member: Member | None) -> list[str]:
    """`time_lines` in another language: the same lines, CLDR's dates, spans and zone names."""
    def place_span_in(start: datetime, end: datetime, place: str) -> str:
        return words.say("{time} {city} ({zone})", time=words.clock_span(start, end), city=place,
                         zone=words.zone_names(start, end))

    home_start, home_end = segment.start, segment.end
    home = place_span_in(home_start, home_end, meeting.city or meeting.zone_name)
    utc = f"{words.clock_span(home_start.astimezone(UTC), home_end.astimezone(UTC))} UTC"
    if member is None or member.zone.key == meeting.zone.key:
        return [words.long_date(home_start), f"{home} = {utc}"]
    start, end = home_start.astimezone(member.zone), home_end.astimezone(member.zone)
    line = f"{place_span_in(start, end, member.city)} = {home}"
    if start.date() != home_start.date():
        line += f", {words.long_date(home_start)}"
    return [words.long_date(start), line]


class Texts:
    """The plain text of a meeting's invitations, with what is costly to work out kept once."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting
        leads = {i.lead for s in meeting.segments for i in _all_items(s.items) if i.lead}
        self.leads = {m.id: m.acronym for m in meeting.members if m.id in leads}
        self._tables: dict[str, list[str]] = {}

    def items(self, items, depth: int = 0, words: Words | None = None) -> list[str]:
        say = words.say if words is not None else _english
        out = []
        for index, item in enumerate(items):
            mark, _ = item_number(index, depth + 1)  # numbered as the agenda document numbers them
            text = f"{'   ' * depth}{mark} {item.title_in(words.lang) if words is not None else item.title}"
            extra = []
            if item.lead:
                extra.append(say("lead: {lead}", lead=self.leads.get(item.lead, item.lead)))
            if item.minutes:
                extra.append(say("{minutes} min", minutes=item.minutes))
            if extra:
                text += f" ({', '.join(extra)})"
            out.append(text)
            if item.documents:
                out.append(f"{'   ' * (depth + 1)}" + say("Documents: {documents}", documents=', '.join(item.documents)))
            out += self.items(item.items, depth + 1, words)
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

    def description(self, segment: Segment, status: str, member: Member | None, lang: str = "en") -> str:
        """The invitation's text; `lang` other than English for a member who reads another language."""
        meeting = self.meeting
        words = Words(lang) if lang != "en" else None
        say = words.say if words is not None else _english
        title = segment_summary(meeting, segment, lang if words is not None else None)
        lines = [say("CANCELLED: {title}", title=title) if status == "cancelled" else title]
        lines += [x for x in (meeting.body, segment.symbol) if x]
        if status == "tentative":
            lines.append(say("Tentative: the date and time may still change."))
        lines.append("")
        lines += time_lines(meeting, segment, member, words)
        location = meeting.location_of(segment)
        url = meeting.online_url_of(segment)
        if location:
            lines.append(say("Where: {place}", place=location))
        if url:
            lines.append(say("Join online: {url}", url=url))
        if segment.chair:
            lines.append(say("Chair: {chair}", chair=segment.chair))
        if segment.items:
            lines += ["", say("Agenda")] + self.items(segment.items, 0, words)
        if segment.notes:
            lines += ["", segment.notes]
        if member is None and meeting.members:
            lines += ["", "Local times of members"] + self.member_times(segment)
        return "\n".join(lines)


def _english(message: str, **values: object) -> str:
    """An English phrase: the message id is the text."""
    return message.format(**values)


def _all_items(items):
    for item in items:
        yield item
        yield from _all_items(item.items)


def html_of(text: str, lang: str = "en") -> str:
    """The plain text as minimal HTML: paragraphs kept, links clickable; right to left in Arabic."""
    body = html.escape(text)
    body = re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', body)
    direction = ' dir="rtl"' if lang in RIGHT_TO_LEFT else ""
    head = "<html>" if lang == "en" else f'<html lang="{lang}"{direction}>'
    return head + "<body><p>" + body.replace("\n\n", "</p><p>").replace("\n", "<br>\n") + "</p></body></html>\n"


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


def subject_of(meeting: Meeting, segment: Segment, member: Member, version: Version, lang: str = "en") -> str:
    if lang != "en":
        return _subject_in(Words(lang), meeting, segment, member, version)
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


# What each kind of change is called, as plan/invite.py words it ("time changed …").
CHANGE_KINDS = {"date": N_("date"), "time": N_("time"), "home zone": N_("home zone"), "title": N_("title"),
                "location": N_("location"), "online link": N_("online link"), "status": N_("status")}


def _subject_in(words: Words, meeting: Meeting, segment: Segment, member: Member, version: Version) -> str:
    """`subject_of` in another language: the kinds of change named in it, listed as CLDR joins them."""
    start, end = segment.start.astimezone(member.zone), segment.end.astimezone(member.zone)
    when = f"{words.short_date(start)} {words.clock_span(start, end)} {zone_names(start, end)}"
    what = segment_summary(meeting, segment, words.lang)
    if version.cancelled:
        return words.say("Cancelled: {what} ({when})", what=what, when=when)
    if version.sequence > 0:
        kinds = [c.split(" changed")[0] for c in version.changes if " changed" in c]
        known = [words.say(CHANGE_KINDS[k]) for k in dict.fromkeys(kinds) if k in CHANGE_KINDS]
        if known:
            return words.say("Changed ({changes}): {what} ({when})", changes=words.list_of(known), what=what, when=when)
        return words.say("Updated invitation: {what} ({when})", what=what, when=when)
    return words.say("Invitation: {what} ({when})", what=what, when=when)


def change_lines(meeting: Meeting, segment: Segment, member: Member, version: Version, lang: str = "en") -> list[str]:
    """The first lines of an update's message: what changed, and the new time in the member's
    own zone: `Time changed: 15:00–17:00 → 16:00–18:00 CEST, your time 10:00–12:00 EDT`."""
    if version.cancelled or version.sequence == 0:
        return []
    if lang != "en":
        return _change_lines_in(Words(lang), meeting, segment, member, version)
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


def _change_lines_in(words: Words, meeting: Meeting, segment: Segment, member: Member, version: Version) -> list[str]:
    """`change_lines` in another language; the values that changed stay as they were recorded."""
    out = []
    for change in version.changes:
        label, sep, rest = change.partition(" changed ")
        if sep and label in CHANGE_KINDS:
            line = words.say("Changed ({label}): {change}", label=words.say(CHANGE_KINDS[label]), change=rest)
        elif change == "agenda or details changed":
            line = words.say("Agenda or details changed")
        else:
            line = change[:1].upper() + change[1:]
        if label in ("time", "date") and member.zone.key != meeting.zone.key:
            start, end = segment.start.astimezone(member.zone), segment.end.astimezone(member.zone)
            day = f"{words.short_date(start)} " if label == "date" or start.date() != segment.start.date() else ""
            line += words.say(", your time {time}", time=f"{day}{words.clock_span(start, end)} {zone_names(start, end)}")
        out.append(line)
    return out
