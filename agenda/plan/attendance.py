"""Attendance: the members' replies matched to what was issued, and tallied per segment.

A reply is matched by UID to a segment (the UIDs the record of issued versions holds) and by
ATTENDEE address to a member. Per segment and address the latest reply counts (by DTSTAMP,
then by when it was received, then by the order it was recorded); a reply to an older
SEQUENCE than the current one still counts but is marked stale. A member's status is the
answer of its addresses when they agree, `mixed` when they do not, `no-reply` when none has
answered. Anything else (not a reply, a COUNTER, a REFRESH, a UID that is not ours, an address
the directory does not know, an answer that is not an answer) is listed as ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone
from typing import Iterable, Mapping

from agenda.model.meeting import Meeting, Member, Segment
from agenda.model.timeplan import parse_utc_stamp
from agenda.plan.invite import Version, clock_span, zone_names
from agenda.read.replies import ANSWERS, COUNTER, REFRESH, REPLY, Answer, Message

UTC = timezone.utc

STATUSES = ("accepted", "tentative", "declined", "delegated", "mixed", "no-reply")


@dataclass(frozen=True)
class ReplyRow:
    """One address's latest answer to one segment."""

    address: str
    partstat: str  # lower case: accepted | tentative | declined | delegated
    sequence: int
    stale: bool  # answered an older SEQUENCE than the current one
    received: str | None
    message_id: str | None
    name: str = ""  # CN
    delegated_to: tuple[str, ...] = ()
    comment: str = ""
    stale_note: str = ""  # "the time changed since"
    said: str = ""  # "accepted 15:00–17:00 CET" when stale

    def describe(self) -> str:
        """`focal@example.org (Jane Doe): accepted` — who said what, for a table cell."""
        who = f"{self.address} ({self.name})" if self.name else self.address
        what = self.said or self.partstat
        if self.delegated_to:
            what += " to " + ", ".join(self.delegated_to)
        if self.stale:
            what += f"; {self.stale_note}"
        if self.comment:
            what += f" — “{self.comment}”"
        return f"{who}: {what}"


@dataclass(frozen=True)
class MemberAttendance:
    member: Member
    status: str
    replies: tuple[ReplyRow, ...]


@dataclass(frozen=True)
class SegmentAttendance:
    segment: Segment
    version: Version
    members: tuple[MemberAttendance, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for m in self.members if m.status == s) for s in STATUSES}

    @property
    def stale(self) -> int:
        return sum(1 for m in self.members for r in m.replies if r.stale)

    def counts_text(self) -> str:
        """`31 accepted, 4 tentative, 3 declined, 15 no reply` (delegated and mixed when there are any)."""
        c = self.counts
        parts = [f"{c['accepted']} accepted", f"{c['tentative']} tentative", f"{c['declined']} declined"]
        parts += [f"{c[s]} {s}" for s in ("delegated", "mixed") if c[s]]
        parts.append(f"{c['no-reply']} no reply")
        text = ", ".join(parts)
        if self.stale:
            text += f" ({self.stale} answer{'s' if self.stale > 1 else ''} to an earlier version)"
        return text


@dataclass(frozen=True)
class Ignored:
    source: str
    reason: str


@dataclass(frozen=True)
class Attendance:
    meeting: Meeting
    segments: tuple[SegmentAttendance, ...]
    ignored: tuple[Ignored, ...]
    without_address: tuple[Member, ...]  # members who got no invitation, so cannot reply
    counted: frozenset[str] = frozenset()  # keys of the messages with an answer that counts

    def counted_of(self, keys: Iterable[str]) -> int:
        """How many of these messages (keys) carry an answer that counts; the rest are ignored."""
        return sum(1 for key in keys if key in self.counted)

    def segment(self, segment_id: str) -> SegmentAttendance | None:
        return next((s for s in self.segments if s.segment.id == segment_id), None)


def _reason(meeting: Meeting, by_uid: Mapping[str, Segment], message: Message) -> str:
    """Why a message does not count, with who sent it and, for a COUNTER, the time it proposes."""
    addresses = ", ".join(a.address for a in message.answers[:3])
    if message.kind not in (COUNTER, REFRESH) or not addresses:
        return message.reason
    segment = by_uid.get(message.uid or "")
    what = f"{segment.id}" if segment else f"UID {message.uid}, not one of this meeting's segments"
    if message.kind == REFRESH:
        return f"REFRESH from {addresses} ({what}): asks for the current invitation again"
    start, end = parse_utc_stamp(message.start), parse_utc_stamp(message.end)
    proposal = ""
    if start and end:
        local = start.astimezone(meeting.zone), end.astimezone(meeting.zone)
        proposal = f" {local[0]:%d %b %Y} {clock_span(*local)} {zone_names(*local)}"
    comment = f" — “{message.comment}”" if message.comment else ""
    return f"COUNTER from {addresses} ({what}): proposes a new time{proposal}; not counted{comment}"


def tally(meeting: Meeting, versions: Mapping[str, Version], messages: Iterable[Message],
          segments: Iterable[str] | None = None) -> Attendance:
    """Match and count. `versions`: what the record says was issued, by segment id; only those
    segments (of the meeting, in its order; `segments` narrows them) get a table."""
    wanted = set(segments) if segments is not None else None
    issued = [s for s in meeting.segments if s.id in versions and (wanted is None or s.id in wanted)]
    by_uid = {versions[s.id].uid: s for s in meeting.segments if s.id in versions}
    invited = [m for m in meeting.members if m.emails]
    by_address: dict[str, Member] = {}
    for m in invited:
        for e in m.emails:
            by_address.setdefault(e.casefold(), m)

    ignored: list[Ignored] = []
    counted: set[str] = set()
    latest: dict[tuple[str, str], tuple[tuple, Answer, Message]] = {}
    for order, message in enumerate(messages):
        if message.kind != REPLY:
            ignored.append(Ignored(message.source, _reason(meeting, by_uid, message)))
            continue
        segment = by_uid.get(message.uid or "")
        if segment is None:
            who = ", ".join(a.address for a in message.answers[:3])
            ignored.append(Ignored(message.source, f"reply from {who} to UID {message.uid}, which is not one of "
                                                   "this meeting's segments"))
            continue
        for answer in message.answers:
            member = by_address.get(answer.address.casefold())
            if member is None:
                ignored.append(Ignored(message.source, f"reply from {answer.address}, an address the member "
                                                       f"directory does not know ({segment.id})"))
                continue
            if answer.partstat not in ANSWERS:
                ignored.append(Ignored(message.source, f"PARTSTAT {answer.partstat} from {answer.address} is not an "
                                                       f"answer ({segment.id})"))
                continue
            counted.add(message.key)
            rank = (message.dtstamp or "", message.received or "", order)
            key = (segment.id, answer.address.casefold())
            if key not in latest or rank > latest[key][0]:
                latest[key] = (rank, answer, message)

    out = []
    for segment in issued:
        version = versions[segment.id]
        rows = []
        for member in invited:
            replies = []
            for address in dict.fromkeys(e.casefold() for e in member.emails):
                if (segment.id, address) in latest:
                    _, answer, message = latest[(segment.id, address)]
                    replies.append(_row(meeting, segment, version, answer, message))
            answers = {r.partstat for r in replies}
            status = "no-reply" if not answers else answers.pop() if len(answers) == 1 else "mixed"
            rows.append(MemberAttendance(member, status, tuple(replies)))
        out.append(SegmentAttendance(segment, version, tuple(rows)))
    return Attendance(meeting, tuple(out), tuple(ignored), tuple(m for m in meeting.members if not m.emails),
                      frozenset(counted))


def _row(meeting: Meeting, segment: Segment, version: Version, answer: Answer, message: Message) -> ReplyRow:
    partstat = answer.partstat.lower()
    stale = message.sequence < version.sequence
    note = said = ""
    if stale:
        # What the member said yes (or no) to, in words a secretariat reads: the time the reply
        # carries, in the home zone. The record keeps only the current version, so a reply
        # without DTSTART can only be said to answer an earlier one.
        start, end = parse_utc_stamp(message.start), parse_utc_stamp(message.end)
        if start and end:
            local = start.astimezone(meeting.zone), end.astimezone(meeting.zone)
            day = "" if local[0].date() == segment.start.date() else f"{local[0]:%d %b} "
            said = f"{partstat} {day}{clock_span(*local)} {zone_names(*local)}"
            moved = (start, end) != (segment.start.astimezone(UTC), segment.end.astimezone(UTC))
            note = "the time changed since" if moved else "the invitation changed since"
        else:
            said = f"{partstat} an earlier version"
            note = "the invitation changed since"
    return ReplyRow(answer.address, partstat, message.sequence, stale, message.received, message.message_id,
                    answer.name, answer.delegated_to, message.comment, note, said)


def participants(attendance: Attendance) -> list[tuple[Member, list[str]]]:
    """Who accepted, by entity (any segment of the attendance): names from the CN of accepted
    replies (the address when a reply has none), entities by name."""
    return _accepted(attendance.segments)


def participants_by_segment(attendance: Attendance) -> list[tuple[SegmentAttendance, list[tuple[Member, list[str]]]]]:
    """Who accepted each segment, as participants() gives them: a report's annex lists the
    participants of each meeting, and a member may attend one segment and not another."""
    return [(seg, _accepted((seg,))) for seg in attendance.segments]


def _accepted(segments: Iterable[SegmentAttendance]) -> list[tuple[Member, list[str]]]:
    names: dict[str, list[str]] = {}
    members: dict[str, Member] = {}
    for seg in segments:
        for m in seg.members:
            for r in m.replies:
                if r.partstat == "accepted":
                    members[m.member.id] = m.member
                    person = r.name or r.address
                    if person not in names.setdefault(m.member.id, []):
                        names[m.member.id].append(person)
    return sorted(((members[i], sorted(n, key=str.casefold)) for i, n in names.items()),
                  key=lambda pair: pair[0].name.casefold())
