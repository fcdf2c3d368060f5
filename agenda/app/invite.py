"""The invitations of a meeting: which files, which version of each segment, and the record.

One run plans everything in memory (`plan_invitations`), then writes it (`apply_plan`):
the files first, then the record of what was issued, so an interrupted run leaves the old
record and the next run issues the same versions again. `write_invitations` does both, and
is what `som invite` and `som build` call.

Versions (RFC 5546): a segment keeps its UID for life. When what a calendar shows changes
(date, time, zone, title, location, online link, status) its SEQUENCE rises and it gets a
new DTSTAMP; when only the rest changes (agenda, notes, alarm) it gets a new DTSTAMP and
keeps its SEQUENCE; when nothing changes the files come out byte for byte the same,
because SEQUENCE and DTSTAMP are read back from the record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from agenda.effects.clock import now, source_date_epoch
from agenda.effects.files import Content, OutputDir, content_bytes
from agenda.effects.record import issued_before, read_record, record_bytes
from agenda.model.errors import BadValue, ConflictingChoices, OverwriteRefused, SomError
from agenda.model.ids import EMAIL, segment_uid
from agenda.model.meeting import Meeting, Member, Person, Segment
from agenda.plan.invite import (DEFAULT_ALARM_MINUTES, RECORD, SEND_LOG, SegmentOutcome, Version, digest, feed_name,
                                segment_summary, title_translations,
                                invitation_organizer, member_file, next_version, segment_file, source_of,
                                standing_values, values_of)
from agenda.plan.schedule import select_segments
from agenda.render import ics
from agenda.render.invitation import Texts, change_lines, event_of, html_of, join_label, subject_of

__all__ = ["DEFAULT_ALARM_MINUTES", "RECORD", "SEND_LOG", "InviteOptions", "InvitePlan", "InviteResult",
           "MemberInvitation", "apply_plan", "issue_clock", "mail_invitation", "plan_invitations",
           "write_invitations"]

UTC = timezone.utc
PACK_INVITATIONS = "invitations"  # agenda.app.build.INVITATIONS


# --- options and results -------------------------------------------------------------------

@dataclass(frozen=True)
class InviteOptions:
    segments: tuple[str, ...] = ()  # only these (the feed, which carries all, is then left alone)
    members: bool = True  # per-member invitations
    cancel: tuple[str, ...] = ()  # segments to cancel
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES  # None: no VALARM
    dry_run: bool = False
    overwrite: bool = False  # write over files som did not write, and a record it cannot use
    eml: bool = False  # an .eml (iMIP) next to each per-member invitation
    clock: datetime | None = None  # DTSTAMP of new versions; None: SOURCE_DATE_EPOCH, else now


@dataclass(frozen=True)
class MemberInvitation:
    """One per-member file, with what an e-mail of it needs."""

    key: str  # path in the output folder
    member: Member
    segment: Segment
    method: str  # REQUEST | CANCEL
    parts: tuple[bytes, ...]  # the file: its segment's head, the member's ATTENDEE lines, the tail of its zone and city
    version: Version
    organizer: Person
    subject: str
    text: str
    html: str

    @property
    def ics(self) -> bytes:
        return b"".join(self.parts)

    @property
    def recipients(self) -> tuple[Person, ...]:
        return tuple(Person(self.member.acronym, e) for e in self.member.emails)


@dataclass(frozen=True)
class InvitePlan:
    meeting: Meeting
    output: OutputDir
    options: InviteOptions
    outcomes: tuple[SegmentOutcome, ...]
    files: dict[str, Content]  # everything to write, the record excepted
    record: bytes
    members: tuple[MemberInvitation, ...]
    skipped: tuple[Member, ...]  # members without e-mail addresses
    feed: str | None  # the feed's file name, None when the run issues only some segments (and leaves it alone)
    notes: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return self.output.root


@dataclass(frozen=True)
class InviteResult:
    plan: InvitePlan
    written: tuple[str, ...]  # files whose bytes changed (would change, in a dry run)
    dry_run: bool

    @property
    def outcomes(self) -> tuple[SegmentOutcome, ...]:
        return self.plan.outcomes


# --- the clock, the record -----------------------------------------------------------------

def issue_clock(clock: datetime | None = None) -> datetime:
    """When a new version is issued: `clock`, else SOURCE_DATE_EPOCH, else now (agenda.effects.clock
    says why an invitation, unlike a document, takes the wall clock)."""
    if clock is not None:
        return clock.astimezone(UTC).replace(microsecond=0)
    return source_date_epoch() or now()


# --- planning ------------------------------------------------------------------------------

def _next_version(texts: Texts, segment: Segment, before: Version | None, options: InviteOptions,
                  clock: datetime) -> tuple[Version, str, tuple[str, ...], str]:
    """(the version to issue, state, changes, the home description)."""
    meeting = texts.meeting
    cancel = segment.id in options.cancel or segment.status == "cancelled"
    values = standing_values(values_of(meeting, segment, "cancelled" if cancel else segment.status), before, cancel)
    text = texts.description(segment, values["status"], None)
    uid = segment_uid(meeting.id, segment.id)
    probe = Version(uid, 0, datetime(2000, 1, 1, tzinfo=UTC), "", "", values)
    event = event_of(meeting, segment, probe, options.alarm_minutes, text)
    detail_text = ics.event_bytes(event, ics.ZonePlan(None), "PUBLISH").decode("utf-8")
    translations = title_translations(meeting, segment)
    if translations:  # a corrected translation is news to the members who read it (none: the digest as before)
        detail_text += "\n" + repr(translations)
    detail = digest(detail_text)
    version, state, changes = next_version(uid, before, values, detail, clock)
    return version, state, changes, text


def _after_files(root: Path, segment_id: str, version: Version, names: list[str], notes: list[str]) -> Version:
    """A segment the record does not know, but whose files are in the folder (the record was
    lost or unreadable): its SEQUENCE goes on from theirs, and its DTSTAMP is later."""
    found = issued_before(root, names)
    if found is None:
        return version
    sequence, stamp = found
    notes.append(f"{segment_id}: no record of it; SEQUENCE {sequence + 1} goes on from the "
                 f"SEQUENCE {sequence} of the files in the folder")
    return replace(version, sequence=sequence + 1, dtstamp=max(version.dtstamp, stamp + timedelta(seconds=1)))


def _check_output(root: Path) -> None:
    """Refuse a path that is a file, or a folder som could not write into."""
    probe = root
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise SomError(f"{probe} is a file, not a folder", hint="name a folder for the output (it is created if missing)")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise SomError(f"{probe} is not writable", hint="choose another output folder, or fix its permissions")


def _check_addresses(meeting: Meeting, members: list[Member]) -> None:
    organizer = invitation_organizer(meeting)
    if not EMAIL.match(organizer.email):
        raise SomError(f"the organizer's address `{organizer.email}` is not an e-mail address", file=meeting.source)
    for m in members:
        for email in m.emails:
            if not EMAIL.match(email):
                raise SomError(f"member `{m.id}` ({m.acronym}) has `{email}`, which is not an e-mail address",
                               file=meeting.directory.source, hint="write it like focal.point@example.org")


def plan_invitations(meeting: Meeting, out_dir: Path | str, options: InviteOptions = InviteOptions(),
                     *, output: OutputDir | None = None) -> InvitePlan:
    """Everything a run would write, checked, without writing anything.

    `output`: the OutputDir of `out_dir` when the caller writes other files there too (one
    instance per folder keeps its manifest whole).
    """
    root = Path(out_dir)
    _check_output(root)
    if (root / PACK_INVITATIONS / RECORD).exists():  # else `som build` would refuse the folder afterwards
        raise SomError(f"{root} is a pack written by `som build`; its invitations are issued into "
                       f"{root / PACK_INVITATIONS}", hint=f"issue into {root / PACK_INVITATIONS}, or build again")
    output = output or OutputDir(root, overwrite=options.overwrite)
    if not options.dry_run:  # one writer at a time: held from reading the record to the last send
        output.lock()
    selected = select_segments(meeting, options.segments)
    select_segments(meeting, options.cancel)  # unknown ids: a message with a suggestion
    outside = sorted(set(options.cancel) - set(options.segments))
    if options.segments and outside:
        raise ConflictingChoices(f"cancelling {', '.join(outside)}, which is not among the segments this run issues "
                                 f"({', '.join(options.segments)})", choices=("cancel", "segments"),
                                 values={"cancel": tuple(outside), "segments": tuple(options.segments)},
                                 hint="issue it too, or issue every segment")
    with_addresses = [m for m in meeting.members if m.emails] if options.members else []
    skipped = tuple(m for m in meeting.members if not m.emails) if options.members else ()
    _check_addresses(meeting, with_addresses)
    if options.eml and not options.members:
        raise ConflictingChoices("an e-mail (.eml) goes with each per-member invitation, and this run writes none",
                                 choices=("eml", "members"), values={"eml": True, "members": False},
                                 hint="ask for one of the two")
    if options.alarm_minutes is not None and options.alarm_minutes < 1:
        raise BadValue("alarm_minutes", options.alarm_minutes, "is less than one: the alarm must ring at least one "
                       "minute before the start", hint="None for no alarm")

    # .eml files written before are kept in step with their .ics, asked for or not: an old
    # message next to a newer invitation is one someone could still send by hand.
    eml = options.eml or (options.members and any(n.startswith("members/") and n.endswith(".eml")
                                                   for n in output.manifest))
    feed = feed_name(meeting) if not options.segments else None
    names = ([feed] if feed else []) + [segment_file(meeting, s) for s in selected]
    names += [member_file(meeting, s, m) for s in selected for m in with_addresses]
    if eml:
        names += [n[:-4] + ".eml" for n in names if n.startswith("members/")]
    output.check(names + [RECORD])

    before = read_record(root / RECORD, meeting.id, overwrite=options.overwrite, source=source_of(meeting))
    # The invitations som issued that are still in the folder matter only when the record lacks
    # a segment: a re-run with every segment recorded does not look at its 30,000 files again.
    issued = [n for n in output.manifest if n.endswith(".ics") and os.path.lexists(root / n)] \
        if not before or any(s.id not in before for s in selected) else []
    if not before and issued and not options.overwrite:
        # Without the record every segment would start again at SEQUENCE 0, which calendars
        # that hold SEQUENCE 1 ignore: refuse, or (overwriting) go on from the files themselves.
        raise OverwriteRefused(f"{root / RECORD} is missing, and {len(issued)} invitations som issued are in {root}",
                               reason="missing record", path=root / RECORD,
                               hint="restore it, or issue again, overwriting: SEQUENCE goes on from the files issued")
    clock = issue_clock(options.clock)
    versions = dict(before)
    outcomes: list[SegmentOutcome] = []
    files: dict[str, Content] = {}
    invitations: list[MemberInvitation] = []
    notes: list[str] = []
    home_texts: dict[str, str] = {}
    texts = Texts(meeting)
    # One VTIMEZONE for the whole meeting, made from every segment: each file carries the same
    # definition under the TZID, whatever years its own events span (docs/rules-of-time.md).
    zones = meeting_zones(meeting)
    for segment in selected:
        version, state, changes, text = _next_version(texts, segment, before.get(segment.id), options, clock)
        if version.cancelled and segment.id not in before:
            # Nobody has it, so nobody needs its cancellation: no file, and nothing recorded
            # (the meeting file's status = "cancelled" is what keeps it out of later runs).
            outcomes.append(SegmentOutcome(segment, "unissued", (), None, version, ()))
            continue
        if segment.id not in before and issued:
            version = _after_files(root, segment.id, version, [segment_file(meeting, segment)]
                                   + [member_file(meeting, segment, m) for m in meeting.members], notes)
        versions[segment.id] = version
        home_texts[segment.id] = text
        event = event_of(meeting, segment, version, options.alarm_minutes, text)
        own = segment_file(meeting, segment)
        files[own] = ics.calendar_bytes("PUBLISH", [event], meeting.zone, zones=zones)
        member_files: list[str] = []
        new_members: list[Member] = []
        if with_addresses:
            for inv in _member_invitations(texts, segment, event, version, with_addresses, zones):
                files[inv.key] = inv.parts  # joined only as it is hashed and written
                member_files.append(inv.key)
                invitations.append(inv)
                if inv.key not in output.manifest:
                    new_members.append(inv.member)
        outcomes.append(SegmentOutcome(segment, state, changes, before.get(segment.id), version,
                                       (own, *member_files), tuple(new_members)))
    if feed:
        events = [event_of(meeting, s, versions[s.id], options.alarm_minutes, home_texts[s.id])
                  for s in meeting.segments if s.id in versions]
        files[feed] = ics.calendar_bytes("PUBLISH", events, meeting.zone, name=meeting.title, zones=zones)
        gone = sorted(set(before) - {s.id for s in meeting.segments})
        for segment_id in gone:
            notes.append(f"{segment_id}: issued before but no longer in the meeting file; its files stay as they "
                         f"are — to take it out of members' calendars, put it back with status = \"cancelled\"")
    if eml:
        from agenda.effects import mail
        for inv in invitations:
            files[inv.key[:-4] + ".eml"] = mail.eml_bytes(mail_invitation(inv))
    ordered = {k: versions[k] for k in sorted(versions)}
    return InvitePlan(meeting, output, options, tuple(outcomes), files, record_bytes(meeting.id, ordered, source_of(meeting)),
                      tuple(invitations), skipped, feed, tuple(notes))


def meeting_zones(meeting: Meeting) -> ics.ZonePlan:
    """The home zone's VTIMEZONE for every segment of the meeting, and what it places."""
    return ics.plan_zone(meeting.zone, frozenset(i for s in meeting.segments for i in (s.start, s.end)))


def _member_invitations(texts: Texts, segment: Segment, event: ics.Event, version: Version,
                        members: list[Member], meeting_zone_plan: ics.ZonePlan) -> list[MemberInvitation]:
    """Per-member files: the calendar text is built once per segment and per member zone and
    city; only the ATTENDEE lines differ from member to member."""
    meeting = texts.meeting
    organizer = invitation_organizer(meeting)
    method = "CANCEL" if version.cancelled else "REQUEST"
    zones = meeting_zone_plan.for_events([(event.start, event.end)])
    calendar_head = ics.calendar_head(method, zones)
    # by language: the SUMMARY is the title in it, and the language of that title when translated
    heads: dict[str, tuple[ics.Event, bytes, str | None]] = {}
    tails: dict[tuple[str, str, str], tuple[bytes, str, str, str]] = {}
    out = []
    for m in members:
        lang = meeting.language_of(m)
        if lang not in heads:
            summary = segment_summary(meeting, segment, lang)
            translated = summary != event.summary
            local = replace(event, summary=summary) if translated else event
            heads[lang] = (local, calendar_head + ics.event_head(local, zones, method, lang if translated else None),
                           lang if translated else None)
        local, head, summary_lang = heads[lang]
        place = (m.zone.key, m.city, lang)
        if place not in tails:
            text = texts.description(segment, version.values["status"], m, lang)
            changed = change_lines(meeting, segment, m, version, lang)
            if changed:  # an update says what changed before anything else
                text = "\n".join(changed) + "\n\n" + text
            tagged = None if lang == "en" else lang
            tail = ics.event_tail(local, method, text, tagged, join_label(lang), summary_lang)
            tails[place] = (tail + ics.CALENDAR_END, text,
                            subject_of(meeting, segment, m, version, lang), html_of(text, lang))
        tail, text, subject, html_text = tails[place]
        attendees = b"".join(ics.attendee_line(m.acronym, e, method) for e in m.emails)
        # Parts, not one joined copy: 120,000 invitations would hold 230 MB of the same heads
        # and tails between planning and writing (the peak memory of a run at 40,000 members).
        out.append(MemberInvitation(member_file(meeting, segment, m), m, segment, method, (head, attendees, tail),
                                    version, organizer, subject, text, html_text))
    return out


def mail_invitation(inv: MemberInvitation):
    """The `agenda.effects.mail.Invitation` of a per-member file."""
    from agenda.effects import mail
    return mail.Invitation(
        key=inv.key, ics=inv.ics, method=inv.method, uid=inv.version.uid, sequence=inv.version.sequence,
        dtstamp=inv.version.dtstamp, organizer=inv.organizer, recipients=inv.recipients,
        subject=inv.subject, text=inv.text, html=inv.html)


# --- writing -------------------------------------------------------------------------------

def apply_plan(plan: InvitePlan) -> InviteResult:
    """Write the files, then the record (so the record never claims what is not on disk)."""
    output = plan.output
    if plan.options.dry_run:
        would = tuple(name for name, data in plan.files.items()
                      if not _same(output.root / name, data))
        return InviteResult(plan, would, True)
    # Every digest, the record's too, goes into the manifest as pending before anything is
    # written: a run killed between the record's rename and the last commit() leaves a record
    # the next run knows as som's own, rather than one it refuses as "not written by som".
    output.intend({**plan.files, RECORD: plan.record})
    try:
        written = output.write_many(plan.files)
        output.write(RECORD, plan.record)  # after every file, so it never claims what is not on disk
    finally:
        # once (a manifest of 30,000 files takes a while to save): it tells the truth even when a
        # write failed midway, and a run killed before this line left every digest pending above
        output.commit()
    return InviteResult(plan, tuple(written), False)


def _same(path: Path, data: Content) -> bool:
    try:
        return path.read_bytes() == content_bytes(data)
    except OSError:
        return False


def write_invitations(meeting: Meeting, out_dir: Path | str, options: InviteOptions = InviteOptions(),
                      *, output: OutputDir | None = None) -> InviteResult:
    """Plan and write a meeting's invitations into `out_dir` (nothing is written in a dry run)."""
    return apply_plan(plan_invitations(meeting, out_dir, options, output=output))
