"""Inputs that used to take time growing faster than their size (issue #17): `som import-report`
on a notice of thousands of date lines, and the e-mail of an invitation with a huge subject.
Each is measured at several sizes, so the rows show whether time per unit stays flat.

    python bench/bench_hostile.py [--rows]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def notice(lines: int) -> str:
    day = dt.date(2026, 1, 5)
    dates = [f"Session {i}: {day + dt.timedelta(days=i):%A, %-d %B %Y}, 14:00 - 15:00" for i in range(lines)]
    return ("UNITED NATIONS\nENVIRONMENT MANAGEMENT GROUP\n\nSenior Officials Meeting\n\n"
            "Venue: Palais des Nations\n\n" + "\n".join(dates) + "\n")


def import_seconds(lines: int, runs: int = 3) -> float:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notice.txt"
        path.write_text(notice(lines), encoding="utf-8")
        for n in range(runs):
            start = time.perf_counter()
            subprocess.run([str(BIN / "som"), "import-report", str(path), "-o", f"{tmp}/m{n}.toml"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def eml_seconds(characters: int, runs: int = 5) -> float:
    from agenda.model.meeting import Person
    from agenda.render import mime

    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    inv = mime.Invitation(key="members/a/x.ics", ics=ics, method="REQUEST", uid="u@som", sequence=0,
                          dtstamp=dt.datetime(2023, 9, 1, tzinfo=dt.timezone.utc),
                          organizer=Person("EMG", "emg@example.org"), recipients=(Person("UNEP", "a@example.org"),),
                          subject="É" + "Title word " * (characters // 11), text="t", html="<p>t</p>")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        mime.eml_bytes(inv)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", action="store_true", help="print table rows for bench/run.py")
    parser.parse_args()
    rows = []
    for lines in (1000, 2000, 5000):
        t = import_seconds(lines)
        rows.append((f"`som import-report`, a notice of {lines:,} date lines", f"{t:.2f} s",
                     f"{t / lines * 1000:.2f} ms per line (whole process)", "≤ 5 s at 5,000; linear"))
    small, large = eml_seconds(1000), eml_seconds(1_000_000)
    rows.append(("`.eml` of an invitation with a 1 MB subject", f"{large * 1000:.1f} ms",
                 f"{large / small:.1f}× a 1 KB subject ({small * 1000:.1f} ms)", "≤ 1 s"))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
