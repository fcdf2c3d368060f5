"""The record of what was issued into a folder (`som-issued.toml`): read it, write it.

som reads it on the next run to tell what changed and to write unchanged invitations again
byte for byte; the files are written before the record, so the record never claims what is
not on disk.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from agenda.effects.files import read_limited
from agenda.model.errors import OverwriteRefused, SomError
from agenda.plan.invite import BUNDLED, MATTERS, Version
from agenda.render.tomltext import toml_string

import tomli  # the same TOML reader as the meeting files' (agenda/read/load.py says why)

UTC = timezone.utc
RECORD_LIMIT = 64 * 1024 * 1024  # far above any record som writes (about 1 KB a segment)


def _source_text(source: str) -> str:
    from agenda.read.load import BUNDLED_MEETING

    return f"the bundled {BUNDLED_MEETING.upper()} meeting" if source == BUNDLED else source


def record_bytes(meeting_id: str, versions: dict[str, Version], source: str | None = None) -> bytes:
    lines = [
        "# What `som invite` issued into this folder, one table per segment. som reads it on the",
        "# next run to tell what changed (SEQUENCE + 1 and a new DTSTAMP) and to write unchanged",
        "# invitations again byte for byte. Written by som: do not edit.",
        'written_by = "som invite"',
        f"meeting = {toml_string(meeting_id)}",
    ]
    if source is not None:  # the meeting file as given, or "bundled"
        lines.append(f"source = {toml_string(source)}")
    for segment_id, v in versions.items():
        lines += ["", f"[segment.{toml_string(segment_id)}]",
                  f"uid = {toml_string(v.uid)}",
                  f"sequence = {v.sequence}",
                  f"dtstamp = {v.dtstamp.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
                  f"fingerprint = {toml_string(v.fingerprint)}",
                  f"detail = {toml_string(v.detail)}"]
        lines += [f"{key} = {toml_string(v.values.get(key, ''))}" for key in MATTERS]
        if v.changes:
            lines.append(f"changed = [{', '.join(toml_string(c) for c in v.changes)}]")
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_record(path: Path, meeting_id: str, *, overwrite: bool, source: str | None = None) -> dict[str, Version]:
    """The versions issued before, by segment id; {} when there is no record yet.

    `source` (see source_of): refused, unless `overwrite`, when the record says the folder was
    issued from the bundled meeting and this is a file, or the other way round; a forgotten
    MEETING argument must not quietly issue the bundled meeting over the user's. Records
    written before som kept the source are read as they are.
    """
    try:
        raw = read_limited(path, RECORD_LIMIT)
        if raw is None:
            return {}
        data = tomli.loads(raw.decode("utf-8"))
    except SomError:
        raise
    except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError and TOMLDecodeError are ValueErrors
        if overwrite:
            return {}
        raise OverwriteRefused(f"{path} cannot be read ({str(exc)[:80]})", reason="unreadable record", path=path,
                               hint="issue again, overwriting: SEQUENCE goes on from the files issued") from None
    if data.get("meeting") != meeting_id:
        if overwrite:
            return {}
        raise SomError(f"{path.parent} holds invitations of meeting `{data.get('meeting')}`, not `{meeting_id}`",
                       hint="write each meeting into its own folder")
    recorded = data.get("source")
    if (source is not None and isinstance(recorded, str) and not overwrite
            and (recorded == BUNDLED) != (source == BUNDLED)):
        raise OverwriteRefused(f"{path.parent} was issued from {_source_text(recorded)}; you gave "
                               f"{_source_text(source)}", reason="other source", path=path.parent, recorded=recorded,
                               hint=f"issue {_source_text(recorded)}, or overwrite the record to issue from this one")
    versions = {}
    try:
        for segment_id, entry in data.get("segment", {}).items():
            stamp = entry["dtstamp"]
            if not isinstance(stamp, datetime) or stamp.tzinfo is None:
                raise ValueError("dtstamp")
            sequence = entry["sequence"]
            if type(sequence) is not int or not 0 <= sequence < 2**31:  # RFC 5545: a non-negative integer
                raise ValueError("sequence")
            versions[segment_id] = Version(
                uid=str(entry["uid"]), sequence=sequence, dtstamp=stamp.astimezone(UTC),
                fingerprint=str(entry["fingerprint"]), detail=str(entry["detail"]),
                values={k: str(entry.get(k, "")) for k in MATTERS},
                changes=tuple(str(c) for c in entry.get("changed", ())))
    except (KeyError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        if overwrite:
            return {}
        raise OverwriteRefused(f"{path} is damaged ({str(exc)[:80]})", reason="damaged record", path=path,
                               hint="issue again, overwriting: SEQUENCE goes on from the files issued") from None
    return versions


_SEQUENCE = re.compile(rb"^SEQUENCE:(\d{1,10})\r?$", re.M)
_DTSTAMP = re.compile(rb"^DTSTAMP:(\d{8}T\d{6})Z\r?$", re.M)


def issued_before(root: Path, names) -> tuple[int, datetime] | None:
    """The highest SEQUENCE and latest DTSTAMP in the files of one segment som issued before
    (`names`, relative to `root`), or None when there are none: without a record, the next
    version goes on from these, so a calendar never sees a SEQUENCE go down."""
    sequence, stamp, found = -1, datetime.min.replace(tzinfo=UTC), False
    for name in names:
        try:
            data = read_limited(root / name, RECORD_LIMIT)
        except (OSError, ValueError):
            continue
        if data is None:
            continue
        for m in _SEQUENCE.finditer(data):
            sequence, found = max(sequence, int(m.group(1))), True
        for m in _DTSTAMP.finditer(data):
            try:
                v = m.group(1).decode()  # YYYYMMDDTHHMMSS, as render/ics writes it
                stamp = max(stamp, datetime(int(v[0:4]), int(v[4:6]), int(v[6:8]), int(v[9:11]), int(v[11:13]),
                                            int(v[13:15]), tzinfo=UTC))
            except ValueError:
                pass
    return (sequence, stamp) if found else None
