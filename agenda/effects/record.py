"""The record of what was issued into a folder (`som-issued.toml`): read it, write it.

som reads it on the next run to tell what changed and to write unchanged invitations again
byte for byte; the files are written before the record, so the record never claims what is
not on disk.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from agenda.model.errors import OverwriteRefused, SomError
from agenda.plan.invite import BUNDLED, MATTERS, Version
from agenda.render.tomltext import toml_string

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

UTC = timezone.utc


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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if overwrite:
            return {}
        raise OverwriteRefused(f"{path} cannot be read ({exc})", reason="unreadable record", path=path,
                               hint="issue again, overwriting, to start the record again (every segment restarts "
                                    "at SEQUENCE 0)") from None
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
            versions[segment_id] = Version(
                uid=str(entry["uid"]), sequence=int(entry["sequence"]), dtstamp=stamp.astimezone(UTC),
                fingerprint=str(entry["fingerprint"]), detail=str(entry["detail"]),
                values={k: str(entry.get(k, "")) for k in MATTERS},
                changes=tuple(str(c) for c in entry.get("changed", ())))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        if overwrite:
            return {}
        raise OverwriteRefused(f"{path} is damaged ({exc})", reason="damaged record", path=path,
                               hint="issue again, overwriting, to start the record again") from None
    return versions
