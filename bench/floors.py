"""The floors bench/run.py measures som against: what the machine costs for the same work.

    python bench/floors.py pack FOLDER PACKED  # every file of FOLDER into one file (not a floor)
    python bench/floors.py write PACKED OUT     # write the files packed in PACKED into OUT, atomically
    python bench/floors.py hash FOLDER         # read and hash every file in FOLDER once
    python bench/floors.py load MEETING        # import click and load MEETING with its directory
    python bench/floors.py naive MEETING OUT   # icalendar, one Calendar per member and segment, written
    python bench/floors.py inputs FOLDER N     # the bundled SOM29 meeting with N synthetic members (not a floor)

Each runs as its own process, as `som` does, so both sides pay Python's start-up.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path


def pack(folder: str | Path, packed: str | Path) -> int:
    """Every file of `folder` (names relative to it) and its bytes, in one file for `write`."""
    files = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    Path(packed).write_bytes(pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))
    return len(files)


def write(packed: str, out: str) -> None:
    """What an atomic writer cannot avoid: each file to a temporary name, one sync, each renamed."""
    files = pickle.loads(Path(packed).read_bytes())
    made: set[str] = set()
    temporary = []
    for name, data in files.items():
        target = f"{out}/{name}"
        folder = target.rpartition("/")[0]
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        tmp = f"{target}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, data)
        os.close(fd)
        temporary.append((tmp, target))
    os.sync()
    for tmp, target in temporary:
        os.replace(tmp, target)


def hash_all(folder: str) -> None:
    for dirpath, _, names in os.walk(folder):
        for name in names:
            with open(f"{dirpath}/{name}", "rb") as f:
                hashlib.sha256(f.read()).hexdigest()


def load(meeting: str) -> None:
    import click  # noqa: F401  (som's own start-up)

    from agenda.read.load import load_meeting

    load_meeting(meeting)


def naive(meeting: str, out: str) -> None:
    """A first version: one icalendar.Calendar per member and segment, with the VTIMEZONE
    icalendar adds, written with open().write()."""
    from datetime import datetime, timedelta, timezone

    import icalendar

    from agenda.read.load import load_meeting

    m = load_meeting(meeting)
    vtimezone = icalendar.Timezone.from_tzinfo(m.zone)  # once: per calendar, it would cost 20 times more
    stamp = datetime(2023, 9, 1, 12, tzinfo=timezone.utc)
    for segment in m.segments:
        for member in m.members:
            cal = icalendar.Calendar()
            cal.add("prodid", "-//bench//EN")
            cal.add("version", "2.0")
            cal.add("method", "REQUEST")
            ev = icalendar.Event()
            ev.add("uid", f"{segment.id}.{m.id}@som")
            ev.add("dtstamp", stamp)
            ev.add("sequence", 0)
            ev.add("dtstart", segment.start)
            ev.add("dtend", segment.end)
            ev.add("summary", f"{m.title} — {segment.title}")
            ev.add("location", segment.location or "")
            local = segment.start.astimezone(member.zone)
            ev.add("description", f"{local:%A %d %B %Y %H:%M} {member.city}\n"
                                  + "\n".join(f"{n}. {item.title}" for n, item in enumerate(segment.items, 1)))
            ev.add("status", "CONFIRMED")
            organizer = icalendar.vCalAddress(f"mailto:{m.organizer.email}" if m.organizer else "mailto:x@example.org")
            ev.add("organizer", organizer)
            for email in member.emails:
                attendee = icalendar.vCalAddress(f"mailto:{email}")
                attendee.params.update({"cn": member.acronym, "role": "REQ-PARTICIPANT",
                                        "partstat": "NEEDS-ACTION", "rsvp": "TRUE"})
                ev.add("attendee", attendee)
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", "Reminder")
            alarm.add("trigger", timedelta(minutes=-15))
            ev.add_component(alarm)
            cal.add_component(ev)
            cal.add_component(vtimezone)
            folder = f"{out}/members/{member.id}"
            os.makedirs(folder, exist_ok=True)
            with open(f"{folder}/{m.id}-{segment.id}.ics", "wb") as f:
                f.write(cal.to_ical())


def inputs(folder: str, members: str) -> None:
    """FOLDER/som29.toml: the bundled SOM29 meeting file (3 segments) with a directory of
    `members` members (FOLDER/synthetic.toml, bench/bench_invite.py's)."""
    import re

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_invite import write_inputs

    root = Path(__file__).resolve().parent.parent
    write_inputs(Path(folder), int(members), 1)  # writes synthetic.toml (and a meeting we do not use)
    text = (root / "calendars" / "som29.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^members = .*$', 'members = "synthetic.toml"', text, count=1)
    (Path(folder) / "som29.toml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    what, *args = sys.argv[1:]
    {"pack": pack, "write": write, "hash": hash_all, "load": load, "naive": naive, "inputs": inputs}[what](*args)
