"""The benchmark suite: `make bench` (or `python bench/run.py [--write-docs] [--runs N] [--sizes 10000,40000]`).

Every row is a pair measured in one run: the `som` command and its floor (what the machine
costs for the same work, bench/floors.py) in turn, several times each, as whole processes;
the table shows the median and range of each and the ratio of the medians, which is what the
goals are written in (a shared machine's noise moves both sides of a pair alike). Rows run on
disk and in memory (/dev/shm), for the bundled SOM29 meeting (3 segments) with a synthetic
directory of 10,000 and 40,000 members; the 10k→40k ratio of each row shows how cost grows.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

TABLE_PAGE = ROOT / "docs" / "benchmarks.md"  # the table goes between its bench:start/end markers
PY = sys.executable
SOM = str(Path(PY).parent / "som")
FLOORS = str(ROOT / "bench" / "floors.py")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1693569600", "COLUMNS": "200"}
BETWEEN = "2023-09-04..2023-09-29"  # four weeks for som suggest


@dataclass
class Side:
    argv: list[str]
    before: Callable[[], None] = lambda: None  # not timed: e.g. remove the previous run's folder
    seconds: list[float] = field(default_factory=list)
    peak_mib: float = 0.0


@dataclass
class Row:
    what: str
    place: str
    members: int | None
    command: Side
    floor: Side
    floor_name: str
    goal: float | None = None  # the ratio command/floor to stay under

    @property
    def ratio(self) -> float:
        return statistics.median(self.command.seconds) / statistics.median(self.floor.seconds)


def timed(side: Side) -> None:
    """One run of a whole process: wall time, and its peak memory from the kernel (wait4)."""
    side.before()
    start = time.perf_counter()
    proc = subprocess.Popen(side.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    side.seconds.append(time.perf_counter() - start)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(side.argv[:4])} ... failed:\n{proc.stderr.read().decode() if proc.stderr else ''}")
    side.peak_mib = max(side.peak_mib, usage.ru_maxrss / 1024)


def measure(row: Row, runs: int) -> Row:
    """Command and floor in turn, `runs` times each."""
    for _ in range(runs):
        timed(row.command)
        timed(row.floor)
    print(f"  {describe(row)}: {cell(row.command.seconds)} vs {cell(row.floor.seconds)} = {row.ratio:.2f}×",
          file=sys.stderr, flush=True)
    return row


def removing(path: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(path, ignore_errors=True)


def synthetic_meeting(folder: Path, members: int) -> Path:
    """The bundled SOM29 meeting file (3 segments) with a directory of `members` members."""
    from bench_invite import write_inputs

    write_inputs(folder, members, 1)  # writes synthetic.toml (and a meeting we do not use)
    text = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^members = .*$', 'members = "synthetic.toml"', text, count=1)
    path = folder / "som29.toml"
    path.write_text(text, encoding="utf-8")
    return path


def zones() -> list[str]:
    """Every zone tzdata names after a place (Area/City), Etc/* (bare offsets) left out."""
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/"))


def rows_for(members: int, place: str, base: Path, runs: int) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix=f"som-bench-{members}-", dir=base))
    meeting = synthetic_meeting(work, members)
    out, floor_out, ref = work / "out", work / "floor", work / "ref"
    subprocess.run([SOM, "invite", str(meeting), "-o", str(ref)], check=True, env=ENV, stdout=subprocess.DEVNULL)
    packed = work / "packed.pickle"
    # in a process of its own: a child's peak memory as the kernel reports it (wait4) starts
    # from this process's size when it was forked, so this one must stay small
    subprocess.run([PY, FLOORS, "pack", str(ref), str(packed)], check=True)
    rows = [
        measure(Row("`som invite`, fresh", place, members,
                    Side([SOM, "invite", str(meeting), "-o", str(out)], removing(out)),
                    Side([PY, FLOORS, "write", str(packed), str(floor_out)], removing(floor_out)),
                    "writing the same bytes atomically", 1.5), runs),
        measure(Row("`som invite` again, nothing changed", place, members,
                    Side([SOM, "invite", str(meeting), "-o", str(ref)]),
                    Side([PY, FLOORS, "hash", str(ref)]),
                    "reading and hashing the same files", 1.5), runs),
    ]
    if place == "memory":
        build = work / "pack"
        rows.append(measure(Row("`som build`, fresh", place, members,
                                Side([SOM, "build", str(meeting), "-o", str(build)], removing(build)),
                                Side([SOM, "invite", str(meeting), "-o", str(out)], removing(out)),
                                "`som invite`, fresh", 1.3), runs))
        load = Side([PY, FLOORS, "load", str(meeting)])
        rows.append(measure(Row("`som schedule`, table", place, members, Side([SOM, "schedule", str(meeting)]),
                                load, "`import click` + load"), runs))
        rows.append(measure(Row(f"`som suggest --between {BETWEEN}`", place, members,
                                Side([SOM, "suggest", str(meeting), "--between", BETWEEN]),
                                Side(load.argv), "`import click` + load"), runs))
        naive = work / "naive"
        rows.append(measure(Row("naive icalendar loop, same files with VTIMEZONE", place, members,
                                Side([PY, FLOORS, "naive", str(meeting), str(naive)], removing(naive)),
                                Side([SOM, "invite", str(meeting), "-o", str(out)], removing(out)),
                                "`som invite`, fresh"), max(1, runs // 2)))
    shutil.rmtree(work, ignore_errors=True)
    return rows


def small_rows(runs: int) -> list[Row]:
    every = zones()
    tz = [a for z in every for a in ("--tz", z)]
    load = [PY, FLOORS, "load", str(ROOT / "calendars" / "som29.toml")]
    return [
        measure(Row("`som --help`", "", None, Side([SOM, "--help"]), Side([PY, "-c", "import click"]),
                    "`import click`", 1.3), runs * 2),
        measure(Row(f"`som schedule --tz` × {len(every)} zones, table", "", None, Side([SOM, "schedule", *tz]),
                    Side(load), "`import click` + load"), runs),
    ]


def cell(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}–{max(seconds):.2f})"


def describe(row: Row) -> str:
    size = f", {row.members:,} members" if row.members else ""
    return f"{row.what}{size}{', ' + row.place if row.place else ''}"


def table(rows: list[Row]) -> str:
    lines = ["| benchmark | where | members | command: median (range) | floor | floor: median (range) | ratio | goal "
             "| peak memory |", "| --- | --- | ---: | --- | --- | --- | ---: | --- | ---: |"]
    for r in rows:
        goal = f"≤ {r.goal:g}×" if r.goal else ""
        lines.append(f"| {r.what} | {r.place} | {f'{r.members:,}' if r.members else ''} | {cell(r.command.seconds)} "
                     f"| {r.floor_name} | {cell(r.floor.seconds)} | {r.ratio:.2f}× | {goal} "
                     f"| {r.command.peak_mib:.0f} MiB |")
    return "\n".join(lines)


def growth(rows: list[Row], small: int, large: int) -> str:
    """How each row's command grows from `small` to `large` members (linear: large/small)."""
    by = {(r.what, r.place, r.members): r for r in rows}
    lines = [f"| benchmark | where | {small:,} → {large:,} members: command | floor |", "| --- | --- | ---: | ---: |"]
    for (what, place, members), r in by.items():
        if members == small and (what, place, large) in by:
            big = by[(what, place, large)]
            lines.append(f"| {what} | {place} | "
                         f"{statistics.median(big.command.seconds) / statistics.median(r.command.seconds):.2f}× "
                         f"| {statistics.median(big.floor.seconds) / statistics.median(r.floor.seconds):.2f}× |")
    return "\n".join(lines)


def unpaired() -> str:
    """Benchmarks that have no floor yet, as their own scripts print them: `som replies`, and the
    inputs that once grew faster than their size (import-report, header folding)."""
    lines = ["| benchmark | median | note | goal |", "| --- | --- | --- | --- |"]
    for name, extra in (("replies", ["--messages", "10000", "--goal", "10"]), ("hostile", [])):
        script = ROOT / "bench" / f"bench_{name}.py"
        out = subprocess.run([PY, str(script), "--rows", *extra], capture_output=True, text=True, env=ENV).stdout
        lines += [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", dest="write_docs", action="store_true",
                        help="put the tables into docs/benchmarks.md")
    parser.add_argument("--runs", type=int, default=5, help="runs of each side of a pair (default 5)")
    parser.add_argument("--sizes", default="10000,40000", help="members of the synthetic directories")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    places = [("disk", Path(tempfile.gettempdir()))]
    if Path("/dev/shm").is_dir():
        places.insert(0, ("memory", Path("/dev/shm")))
    rows = small_rows(args.runs)
    for members in sizes:
        for place, base in places:
            rows += rows_for(members, place, base, args.runs)
    text = (f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine()}; {args.runs} runs of each side.\n\n"
            f"{table(rows)}\n")
    if len(sizes) > 1:
        text += f"\nHow cost grows with the directory (4× the members: linear is 4×):\n\n{growth(rows, sizes[0], sizes[-1])}\n"
    text += f"\nNot paired yet (a time alone):\n\n{unpaired()}\n"
    print(text)
    if args.write_docs:
        body = TABLE_PAGE.read_text(encoding="utf-8")
        new, found = re.subn(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)",
                             lambda m: m.group(1) + text + m.group(2), body, flags=re.S)
        if not found:
            sys.exit(f"{TABLE_PAGE.relative_to(ROOT)} has no <!-- bench:start --> ... <!-- bench:end --> markers")
        TABLE_PAGE.write_text(new, encoding="utf-8")
        print(f"{TABLE_PAGE.relative_to(ROOT)} updated")


if __name__ == "__main__":
    if not Path(SOM).exists():
        sys.exit("run `make setup` first")
    main()
