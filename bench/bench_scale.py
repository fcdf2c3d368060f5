"""Large inputs run in time linear in their size: load + schedule for growing directories and agendas.

`python bench/bench_scale.py --rows` prints result rows for bench/run.py.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agenda.read.load import load_meeting  # noqa: E402
from agenda.plan.schedule import build_schedule  # noqa: E402

ZONES = ["Africa/Nairobi", "Europe/Zurich", "America/New_York", "Asia/Tokyo", "America/Santiago",
         "Asia/Kathmandu", "Pacific/Chatham", "Europe/London"]


def write_meeting(folder: Path, members: int, items: int) -> Path:
    directory = ['name = "synthetic"\n']
    for i in range(members):
        directory.append(f'[[member]]\nid = "m{i}"\nacronym = "M{i}"\nname = "Member {i}"\ncity = "City {i}"\n'
                         f'country = "CH"\ntimezone = "{ZONES[i % len(ZONES)]}"\nemails = ["m{i}@example.org"]\n')
    (folder / "members.toml").write_text("".join(directory), encoding="utf-8")
    meeting = ['[meeting]\nid = "big"\ntitle = "Big"\ntimezone = "Europe/Zurich"\nmembers = "members.toml"\n'
               '[[segment]]\nid = "s"\ntitle = "S"\ndate = 2023-09-26\ntime = "15:00-17:00 CEST"\n']
    for i in range(items):
        meeting.append(f'[[segment.item]]\ntitle = "Item {i}"\nlead = "m{i % max(members, 1)}"\nminutes = 1\n')
    path = folder / "meeting.toml"
    path.write_text("".join(meeting), encoding="utf-8")
    return path


def seconds(members: int, items: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_meeting(Path(tmp), members, items)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            build_schedule(load_meeting(path))
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)


def main() -> None:
    rows = []
    for members in (10_000, 100_000):
        t = seconds(members, 1_000)
        rows.append((f"load + schedule, {members:,} members, 1,000 items", f"{t:.2f} s", f"{t / members * 1e6:.1f} µs per member", "linear"))
    for items in (1_000, 10_000):
        t = seconds(50, items)
        rows.append((f"load + schedule, {items:,} agenda items", f"{t:.2f} s", f"{t / items * 1e6:.1f} µs per item", "linear"))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
