"""Benchmark for `som suggest`: 50 members in 50 zones, 8 weeks, 15-minute steps.

    python bench/bench_suggest.py            # prints the time of each run and the best one
    python bench/bench_suggest.py --rows     # result rows for `make bench` (bench/run.py)

Goal: under 1 s per ranking on an ordinary laptop. Members sit in 50 different zones (the
worst case: nothing is shared between members), from Honolulu to Kiritimati, with :30 and :45
offsets and both hemispheres' summer times, each with its country's public holidays.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agenda.read.load import load_meeting  # noqa: E402
from agenda.model.meeting import Directory, Meeting, Member  # noqa: E402
from agenda.plan.suggest import Request, rank  # noqa: E402

ZONES = [
    ("Pacific/Honolulu", "US", "HI"), ("America/Anchorage", "US", "AK"), ("America/Los_Angeles", "US", "CA"),
    ("America/Denver", "US", "CO"), ("America/Chicago", "US", "IL"), ("America/New_York", "US", "NY"),
    ("America/Toronto", "CA", "ON"), ("America/Mexico_City", "MX", None), ("America/Bogota", "CO", None),
    ("America/Lima", "PE", None), ("America/Santiago", "CL", None), ("America/Sao_Paulo", "BR", None),
    ("America/Argentina/Buenos_Aires", "AR", None), ("America/St_Johns", "CA", "NL"), ("Atlantic/Azores", "PT", None),
    ("Europe/London", "GB", "ENG"), ("Europe/Lisbon", "PT", None), ("Africa/Dakar", "SN", None),
    ("Europe/Zurich", "CH", "GE"), ("Europe/Paris", "FR", None), ("Europe/Berlin", "DE", "NW"),
    ("Africa/Lagos", "NG", None), ("Europe/Athens", "GR", None), ("Africa/Cairo", "EG", None),
    ("Asia/Jerusalem", "IL", None), ("Africa/Johannesburg", "ZA", None), ("Asia/Beirut", "LB", None),
    ("Africa/Nairobi", "KE", None), ("Asia/Riyadh", "SA", None), ("Asia/Tehran", "IR", None),
    ("Asia/Dubai", "AE", None), ("Asia/Kabul", "AF", None), ("Asia/Karachi", "PK", None),
    ("Asia/Kolkata", "IN", None), ("Asia/Kathmandu", "NP", None), ("Asia/Dhaka", "BD", None),
    ("Asia/Yangon", "MM", None), ("Asia/Bangkok", "TH", None), ("Asia/Jakarta", "ID", None),
    ("Asia/Shanghai", "CN", None), ("Asia/Manila", "PH", None), ("Australia/Perth", "AU", "WA"),
    ("Asia/Tokyo", "JP", None), ("Asia/Seoul", "KR", None), ("Australia/Adelaide", "AU", "SA"),
    ("Australia/Sydney", "AU", "NSW"), ("Pacific/Noumea", "NC", None), ("Pacific/Auckland", "NZ", None),
    ("Pacific/Chatham", "NZ", None), ("Pacific/Kiritimati", "KI", None),
]


def bench_meeting() -> Meeting:
    base = load_meeting()
    members = tuple(
        Member(f"m{i:02d}", f"M{i:02d}", f"Member {i}", zone.rsplit("/", 1)[-1], country, ZoneInfo(zone), subdivision)
        for i, (zone, country, subdivision) in enumerate(ZONES))
    return Meeting(id="bench", title="Benchmark", zone=base.zone, directory=Directory("bench", members),
                   segments=base.segments, city=base.city)


def main(rows: bool = False) -> float:
    meeting = bench_meeting()
    assert len(meeting.members) == 50 and len({m.zone.key for m in meeting.members}) == 50
    request = Request(date(2024, 9, 2), date(2024, 9, 2) + timedelta(weeks=8, days=-1),
                      timedelta(hours=2), timedelta(minutes=15), top=10)
    times = []
    for run in range(5):
        t0 = time.perf_counter()
        result = rank(meeting, meeting.members, request)
        times.append(time.perf_counter() - t0)
        label = "first (builds holiday calendars)" if run == 0 else f"run {run + 1}"
        if not rows:
            print(f"{label:34s} {times[-1]:.3f} s  ({result.candidates} start times, "
                  f"best inside {result.slots[0].inside}/50)")
    som = Path(sys.executable).parent / "som"
    command = [str(som), "suggest", "--between", "2024-09-02..2024-10-27", "--duration", "2h", "--step", "15m",
               "--format", "json"]
    whole = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        whole.append(time.perf_counter() - t0)
    if rows:
        print(f"| `som suggest` ranking: 50 members in 50 zones × 8 weeks × 15-min steps | "
              f"{statistics.median(times):.2f} s | {result.candidates} start times; first run {times[0]:.2f} s "
              f"(builds the holiday calendars) | < 1 s |")
        print(f"| `som suggest` command, SOM29's 53 members, 8 weeks, 15-min steps | {statistics.median(whole):.2f} s "
              f"| whole process: start, load, rank, JSON | < 1 s |")
    else:
        print(f"best {min(times):.3f} s, worst {max(times):.3f} s (goal: < 1 s)")
        print(f"whole command ({' '.join(command[1:])}): median {statistics.median(whole):.3f} s")
    return max(times)


if __name__ == "__main__":
    sys.exit(0 if main(rows="--rows" in sys.argv[1:]) < 1.0 else 1)
