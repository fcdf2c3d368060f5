"""Benchmark: per-member invitations for a synthetic directory of 10,000 members.

    python bench/bench_invite.py [--members 10000] [--segments 1] [--naive 10000] [--repeat 3]

Times the whole `som invite` run (a fresh Python process: start-up, loading the meeting and
the directory, planning, writing every file and the record) into a new folder on disk and,
where there is one, in memory (/dev/shm), then a naive loop that builds and serialises one
icalendar.Calendar per member, and prints a small table with the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEGMENTS = [("technical", "Technical Segment", "2023-09-26", "15:00-17:00 CEST"),
            ("senior", "Senior Segment", "2023-10-10", "14:00-15:30 CEST"),
            ("closing", "Closing Segment", "2023-11-14", "15:00-16:00 CET")]


def write_inputs(folder: Path, members: int, segments: int) -> Path:
    """A directory of `members` members, one address each, in the bundled members' cities and
    zones, and a meeting with `segments` segments that uses it."""
    from agenda.read.load import load_directory

    bundled = load_directory("un-entities").members
    lines = ['name = "synthetic"', ""]
    for i in range(members):
        b = bundled[i % len(bundled)]
        lines += ["[[member]]", f'id = "m{i:05d}"', f'acronym = "M{i:05d}"', f'name = "Member {i}"',
                  f'city = "{b.city}"', f'country = "{b.country}"', f'timezone = "{b.zone_name}"',
                  f'emails = ["focal{i}@example.org"]', ""]
    (folder / "synthetic.toml").write_text("\n".join(lines), encoding="utf-8")
    meeting = ['[meeting]', 'id = "bench"', 'title = "Benchmark Meeting"', 'timezone = "Europe/Zurich"',
               'members = "synthetic.toml"', 'location = "MS Teams"',
               'online_url = "https://teams.example.org/l/meetup-join/bench"',
               'organizer = { name = "Secretariat", email = "secretariat@example.org" }', ""]
    for seg_id, title, day, span in SEGMENTS[:segments]:
        meeting += ["[[segment]]", f'id = "{seg_id}"', f'title = "{title}"', f"date = {day}", f'time = "{span}"',
                    "", "[[segment.item]]", 'title = "Opening"', "", "[[segment.item]]",
                    'title = "Progress of the workstreams"', 'documents = ["BENCH/01", "BENCH/02"]', ""]
    path = folder / "meeting.toml"
    path.write_text("\n".join(meeting), encoding="utf-8")
    return path


def time_som_invite(meeting: Path, out: Path) -> float:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1693569600", "PYTHONPATH": str(ROOT)}
    if hasattr(os, "sync"):
        os.sync()  # not timed: start from a disk that has written out what came before
        time.sleep(1)
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "agenda", "invite", str(meeting), "-o", str(out), "--format", "json"],
                         capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"som invite failed:\n{run.stderr}")
    return elapsed


def time_naive(members: int) -> float:
    """One icalendar.Calendar per member, built and serialised: what a first version would do."""
    import icalendar

    zone = ZoneInfo("Europe/Zurich")
    start_at = datetime(2023, 9, 26, 15, tzinfo=zone)
    start = time.perf_counter()
    for i in range(members):
        cal = icalendar.Calendar()
        cal.add("prodid", "-//bench//EN")
        cal.add("version", "2.0")
        cal.add("method", "REQUEST")
        ev = icalendar.Event()
        ev.add("uid", "technical.bench@som")
        ev.add("dtstamp", datetime(2023, 9, 1, 12, tzinfo=ZoneInfo("UTC")))
        ev.add("sequence", 0)
        ev.add("dtstart", start_at)
        ev.add("dtend", start_at + timedelta(hours=2))
        ev.add("summary", "Benchmark Meeting — Technical Segment")
        ev.add("location", "MS Teams: https://teams.example.org/l/meetup-join/bench")
        ev.add("description", "Tuesday 26 September 2023\n09:00–11:00 New York (EDT) = 15:00–17:00 Geneva (CEST)\n"
                              "Agenda\n1. Opening\n2. Progress of the workstreams")
        ev.add("status", "CONFIRMED")
        organizer = icalendar.vCalAddress("mailto:secretariat@example.org")
        organizer.params["cn"] = "Secretariat"
        ev.add("organizer", organizer)
        attendee = icalendar.vCalAddress(f"mailto:focal{i}@example.org")
        attendee.params.update({"cn": f"M{i:05d}", "role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION", "rsvp": "TRUE"})
        ev.add("attendee", attendee)
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Reminder")
        alarm.add("trigger", timedelta(minutes=-15))
        ev.add_component(alarm)
        cal.add_component(ev)
        cal.to_ical()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--segments", type=int, default=1, choices=(1, 2, 3))
    parser.add_argument("--naive", type=int, default=None, help="members for the naive loop (default: --members)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of som invite per place (best and median shown)")
    parser.add_argument("--rows", action="store_true", help="print rows for bench/run.py's table")
    parser.add_argument("--goal", type=float, default=None, help="seconds, shown with --rows")
    args = parser.parse_args()
    naive_members = args.naive or args.members

    rows = []  # (what, files, [seconds of each repeat])
    with tempfile.TemporaryDirectory(prefix="som-bench-") as tmp:
        folder = Path(tmp)
        meeting = write_inputs(folder, args.members, args.segments)
        files = args.members * args.segments
        places = [("disk", folder)]
        if Path("/dev/shm").is_dir():
            places.append(("memory (/dev/shm)", Path(tempfile.mkdtemp(prefix="som-bench-", dir="/dev/shm"))))
        try:
            for label, base in places:
                first, again = [], []
                for n in range(args.repeat):
                    out = base / f"out{n}"
                    first.append(time_som_invite(meeting, out))
                    again.append(time_som_invite(meeting, out))
                    shutil.rmtree(out)
                rows.append((f"som invite, output on {label}", files, first))
                rows.append((f"som invite again, nothing changed ({label})", files, again))
        finally:
            for label, base in places[1:]:
                shutil.rmtree(base, ignore_errors=True)
    naive = time_naive(naive_members)
    rows.append(("naive: one icalendar.Calendar per member (no files)", naive_members, [naive]))

    naive_rate = naive_members / naive
    if args.rows:
        goal = f"≤ {args.goal:g} s" if args.goal else ""
        for what, count, times in rows:
            if what.startswith("som invite,"):
                median = statistics.median(times)
                print(f"| `som invite`, {count:,} members, {what.split('output on ')[1]} | {median:.2f} s | "
                      f"{(count / median) / naive_rate:.1f}× the naive icalendar loop "
                      f"({naive_rate:,.0f}/s) | {goal} |")
        return
    print(f"{'what':58} {'files':>7} {'best s':>7} {'median':>7} {'per s':>7} {'x naive':>7}")
    for what, count, times in rows:
        best, median = min(times), statistics.median(times)
        rate = count / median
        print(f"{what:58} {count:7d} {best:7.2f} {median:7.2f} {rate:7.0f} {rate / naive_rate:7.1f}")
    print(f"\n{args.repeat} runs each; 'per s' and 'x naive' from the median. The naive loop only builds "
          f"and serialises in memory; som's runs include start-up, loading, checking and writing every file.")

if __name__ == "__main__":
    main()
