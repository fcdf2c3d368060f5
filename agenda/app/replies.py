"""`som replies`: read members' replies into the folder invitations were issued into, and tally.

The folder is the one `som invite -o DIR` wrote (it has som-issued.toml) or a pack of
`som build` (its invitations/ has it): the replies record lives next to the record of what
was issued, so both commands see the same replies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from agenda.effects.mailbox import REPLIES, ImapAccess, RecordWriter, read_record, read_source
from agenda.effects.record import read_record as read_issued
from agenda.model.errors import SomError
from agenda.model.meeting import Meeting
from agenda.plan.attendance import Attendance, tally
from agenda.plan.invite import RECORD, Version, source_of
from agenda.read.replies import UNREADABLE, Message, message_key, read_message

__all__ = ["REPLIES", "ReadResult", "attendance_against", "attendance_of", "issued_folder", "read_replies"]

PACK_INVITATIONS = "invitations"  # agenda.app.build.INVITATIONS


@dataclass
class ReadResult:
    read: int = 0  # messages read from the sources
    new: int = 0  # added to the record
    new_keys: list[str] = field(default_factory=list)  # their keys: the tally tells which count
    known: int = 0  # already in it (read before)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # unreadable, new this run: (source, reason)


def issued_folder(folder: Path) -> Path:
    """The folder that holds som-issued.toml: DIR itself, or DIR/invitations of a pack."""
    folder = Path(folder)
    if (folder / RECORD).is_file():
        return folder
    if (folder / PACK_INVITATIONS / RECORD).is_file():
        return folder / PACK_INVITATIONS
    raise SomError(f"{folder} holds no invitations issued by som (no {RECORD} there or in {PACK_INVITATIONS}/)",
                   hint="name the folder `som invite` or `som build` wrote")


def issued_versions(meeting: Meeting, folder: Path) -> dict[str, Version]:
    # Replies are read against the record as it is: never overwritten here, so a record of
    # another meeting file, or a damaged one, is refused.
    return read_issued(folder / RECORD, meeting.id, overwrite=False, source=source_of(meeting))


def read_replies(meeting: Meeting, folder: Path, sources: Iterable[str], *, imap: ImapAccess | None = None,
                 on_skip: Callable[[str, str], None] | None = None) -> ReadResult:
    """Read every message of the sources and add the new ones to the record in `folder`
    (the one issued_folder gives). A message that cannot be read is recorded with the reason
    (and `on_skip` is told) and the batch goes on."""
    issued_versions(meeting, folder)  # the record's meeting and source must be this one's
    path = folder / REPLIES
    known = {m.key for m in read_record(path, meeting.id)}
    result = ReadResult()
    with RecordWriter(path, meeting.id, known) as record:
        for spec in sources:
            for where, data, received, size in read_source(spec, imap):
                result.read += 1
                if message_key(data)[0] in record.known:  # read before: not parsed again
                    result.known += 1
                    continue
                message: Message = read_message(data, where, received, size)
                if record.add(message):
                    result.new += 1
                    result.new_keys.append(message.key)
                    if message.kind == UNREADABLE:
                        result.skipped.append((message.source, message.reason))
                        if on_skip is not None:
                            on_skip(message.source, message.reason)
                else:
                    result.known += 1
    return result


def attendance_of(meeting: Meeting, folder: Path, segments: Iterable[str] | None = None) -> Attendance:
    """The tally of what is recorded in `folder` (the one issued_folder gives)."""
    versions = issued_versions(meeting, folder)
    if segments is not None:
        segments = list(segments)
        unknown = [s for s in segments if meeting.segment(s) is None]
        if unknown:
            from agenda.plan.schedule import select_segments

            select_segments(meeting, tuple(unknown))  # the message, with a suggestion
        missing = [s for s in segments if s not in versions]
        if missing:
            raise SomError(f"{', '.join(missing)} was never issued into {folder}, so nobody could reply to it")
    return tally(meeting, versions, read_record(folder / REPLIES, meeting.id), segments)


def attendance_against(meeting: Meeting, folder: Path, versions: dict[str, Version]) -> Attendance:
    """The tally of what is recorded in `folder` against `versions` (those a build is issuing)."""
    return tally(meeting, {**issued_versions(meeting, folder), **versions}, read_record(folder / REPLIES, meeting.id))
