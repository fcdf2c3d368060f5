"""The benchmark suite: `make bench` (or `python bench/run.py [--write-docs] [--runs N] [--sizes 10000,40000]
[--rows schedule,suggest]`).

Every row is a pair measured in one run: the `som` command and its floor (what the machine
costs for the same work, bench/floors.py) in turn, several times each, as whole processes;
the table shows the median and range of each and the ratio of the medians, which is what the
goals are written in (a shared machine's noise moves both sides of a pair alike), and whether
each goal is met. Rows run on disk and in memory (/dev/shm), for the bundled SOM29 meeting
(3 segments) with a synthetic directory of 10,000 and 40,000 members; the 10k→40k ratio of
each row shows how cost grows (limit 4.4×), and each command's own peak memory at 40,000
members is measured by the kernel for that process (limit 300 MiB). This process stays small
and imports nothing of som: a child's peak memory as wait4 reports it includes its parent's
size when it was forked."""

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent

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
    seconds_goal: float | None = None  # the command's median to stay under, where the issue gives one

    @property
    def ratio(self) -> float:
        return statistics.median(self.command.seconds) / statistics.median(self.floor.seconds)

    @property
    def met(self) -> bool:
        return ((self.goal is None or self.ratio <= self.goal)
                and (self.seconds_goal is None or statistics.median(self.command.seconds) <= self.seconds_goal))


# --rows picks rows by these names (a row's name: the first word of its key)
ROW_NAMES = ("help", "zones", "invite", "rerun", "build", "schedule", "suggest", "naive", "unpaired")
GROWTH_LIMIT = 4.4  # 10k -> 40k: no row's command may grow more than this (linear is 4)
MEMORY_LIMIT_MIB = 300  # peak memory of any command at 40,000 members


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
    """The bundled SOM29 meeting file (3 segments) with a directory of `members` members,
    written by a process of its own (bench/floors.py inputs): it loads som's bundled directory,
    and this process must stay small (see rows_for)."""
    subprocess.run([PY, FLOORS, "inputs", str(folder), str(members)], check=True)
    return folder / "som29.toml"


def zones() -> list[str]:
    """Every zone tzdata has that `som schedule --tz` accepts (not the bare labels CET, EST...),
    asked of som in a process of its own, so that this one stays small (see rows_for)."""
    code = ("import zoneinfo\nfrom agenda.model.timeplan import resolve_zone\n"
            "for z in sorted(zoneinfo.available_timezones()):\n"
            "    try:\n        resolve_zone(z)\n    except Exception:\n        continue\n    print(z)\n")
    return subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout.split()


def rows_for(members: int, place: str, base: Path, runs: int, wanted: set[str]) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix=f"som-bench-{members}-", dir=base))
    meeting = synthetic_meeting(work, members)
    out, floor_out, ref = work / "out", work / "floor", work / "ref"
    rows = []
    if wanted & {"invite", "rerun"}:
        subprocess.run([SOM, "invite", str(meeting), "-o", str(ref)], check=True, env=ENV, stdout=subprocess.DEVNULL)
    if "invite" in wanted:
        packed = work / "packed.pickle"
        # in a process of its own: a child's peak memory as the kernel reports it (wait4) starts
        # from this process's size when it was forked, so this one must stay small
        subprocess.run([PY, FLOORS, "pack", str(ref), str(packed)], check=True)
        rows.append(measure(Row("`som invite`, fresh", place, members,
                                Side([SOM, "invite", str(meeting), "-o", str(out)], removing(out)),
                                Side([PY, FLOORS, "write", str(packed), str(floor_out)], removing(floor_out)),
                                "writing the same bytes atomically", 1.5), runs))
    if "rerun" in wanted:
        # One re-run first, untimed: a re-run with nothing changed leaves a note in the manifest for
        # the next (agenda/app/rerun.py), so the first after a change pays for the whole run and the
        # ones after it do not; the row measures those, the first is the fresh row's kind of cost.
        subprocess.run([SOM, "invite", str(meeting), "-o", str(ref)], check=True, env=ENV, stdout=subprocess.DEVNULL)
        rows.append(measure(Row("`som invite` again, nothing changed", place, members,
                                Side([SOM, "invite", str(meeting), "-o", str(ref)]),
                                Side([PY, FLOORS, "hash", str(ref)]),
                                "reading and hashing the same files", 1.5), runs))
    if place == "memory":
        if "build" in wanted:
            build = work / "pack"
            rows.append(measure(Row("`som build`, fresh", place, members,
                                    Side([SOM, "build", str(meeting), "-o", str(build)], removing(build)),
                                    Side([SOM, "invite", str(meeting), "-o", str(out)], removing(out)),
                                    "`som invite`, fresh", 1.3), runs))
        load = [PY, FLOORS, "load", str(meeting)]
        if "schedule" in wanted:
            rows.append(measure(Row("`som schedule`, table", place, members, Side([SOM, "schedule", str(meeting)]),
                                    Side(load), "`import click` + load",
                                    seconds_goal=2.0 if members == 10_000 else None), runs))
        if "suggest" in wanted:
            rows.append(measure(Row(f"`som suggest --between {BETWEEN}`", place, members,
                                    Side([SOM, "suggest", str(meeting), "--between", BETWEEN]),
                                    Side(load), "`import click` + load",
                                    seconds_goal=1.5 if members == 40_000 else None), runs))
        if "naive" in wanted:
            naive = work / "naive"
            rows.append(measure(Row("naive icalendar loop, same files with VTIMEZONE", place, members,
                                    Side([PY, FLOORS, "naive", str(meeting), str(naive)], removing(naive)),
                                    Side([SOM, "invite", str(meeting), "-o", str(out)], removing(out)),
                                    "`som invite`, fresh"), max(1, runs // 2)))
    shutil.rmtree(work, ignore_errors=True)
    return rows


def small_rows(runs: int, wanted: set[str]) -> list[Row]:
    rows = []
    if "help" in wanted:
        rows.append(measure(Row("`som --help`", "", None, Side([SOM, "--help"]), Side([PY, "-c", "import click"]),
                                "`import click`", 1.3), runs * 2))
    if "zones" in wanted:
        every = zones()
        tz = [a for z in every for a in ("--tz", z)]
        load = [PY, FLOORS, "load", str(ROOT / "calendars" / "som29.toml")]
        rows.append(measure(Row(f"`som schedule --tz` × {len(every)} zones, table", "", None,
                                Side([SOM, "schedule", *tz]), Side(load), "`import click` + load",
                                seconds_goal=0.5), runs))
    return rows


def cell(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}–{max(seconds):.2f})"


def describe(row: Row) -> str:
    size = f", {row.members:,} members" if row.members else ""
    return f"{row.what}{size}{', ' + row.place if row.place else ''}"


def goal_cell(r: Row) -> str:
    goals = ([f"≤ {r.goal:g}×"] if r.goal else []) + ([f"≤ {r.seconds_goal:g} s"] if r.seconds_goal else [])
    if not goals:
        return ""
    return " and ".join(goals) + (": met" if r.met else ": **not met**")


def table(rows: list[Row]) -> str:
    lines = ["| benchmark | where | members | command: median (range) | floor | floor: median (range) | ratio "
             "| goal |", "| --- | --- | ---: | --- | --- | --- | ---: | --- |"]
    for r in rows:
        lines.append(f"| {r.what} | {r.place} | {f'{r.members:,}' if r.members else ''} | {cell(r.command.seconds)} "
                     f"| {r.floor_name} | {cell(r.floor.seconds)} | {r.ratio:.2f}× | {goal_cell(r)} |")
    return "\n".join(lines)


def growth(rows: list[Row], small: int, large: int) -> str:
    """How each row's command (and floor) grows from `small` to `large` members, medians of each."""
    by = {(r.what, r.place, r.members): r for r in rows}
    lines = [f"| benchmark | where | {small:,} → {large:,} members: command | floor | limit |",
             "| --- | --- | ---: | ---: | --- |"]
    for (what, place, members), r in by.items():
        if members == small and (what, place, large) in by:
            big = by[(what, place, large)]
            command = statistics.median(big.command.seconds) / statistics.median(r.command.seconds)
            floor = statistics.median(big.floor.seconds) / statistics.median(r.floor.seconds)
            mark = "met" if command <= GROWTH_LIMIT else "**above**"
            lines.append(f"| {what} | {place} | {command:.2f}× | {floor:.2f}× | ≤ {GROWTH_LIMIT}×: {mark} |")
    return "\n".join(lines)


def peaks(rows: list[Row], members: int) -> str:
    """Each command's own peak memory (and its floor's) at `members`, the most of its runs,
    as the kernel counted it for that process (wait4)."""
    lines = [f"| benchmark | where | command | floor | limit |", "| --- | --- | ---: | ---: | --- |"]
    for r in rows:
        if r.members == members:
            mark = "met" if r.command.peak_mib <= MEMORY_LIMIT_MIB else "**above**"
            lines.append(f"| {r.what} | {r.place} | {r.command.peak_mib:.0f} MiB | {r.floor.peak_mib:.0f} MiB "
                         f"| ≤ {MEMORY_LIMIT_MIB} MiB: {mark} |")
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
    parser.add_argument("--rows", default=",".join(ROW_NAMES),
                        help=f"only these rows, comma-separated: {', '.join(ROW_NAMES)} (default: all)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    wanted = {w.strip() for w in args.rows.split(",") if w.strip()}
    if wanted - set(ROW_NAMES):
        parser.error(f"unknown rows: {', '.join(sorted(wanted - set(ROW_NAMES)))} (rows: {', '.join(ROW_NAMES)})")
    if args.write_docs and wanted != set(ROW_NAMES):
        parser.error("--write-docs puts the whole table in the docs: run every row")
    # An installed som runs from compiled bytecode (pip compiles it), as click does in the
    # floors; a source tree run with PYTHONDONTWRITEBYTECODE would compile every module of
    # som on every run, a cost no user pays (a third of `som --help`).
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "agenda")], check=True, stdout=subprocess.DEVNULL)
    places = [("disk", Path(tempfile.gettempdir()))]
    if Path("/dev/shm").is_dir():
        places.insert(0, ("memory", Path("/dev/shm")))
    rows = small_rows(args.runs, wanted)
    for members in sizes:
        for place, base in places:
            rows += rows_for(members, place, base, args.runs, wanted)
    runs = f"{args.runs} run{'s' if args.runs > 1 else ''} of each side"
    if any(r.what.startswith("naive") for r in rows):
        runs += f" (the naive loop: {max(1, args.runs // 2)})"
    text = f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine()}; {runs}.\n\n{table(rows)}\n"
    if len(sizes) > 1:
        text += (f"\nHow cost grows with the directory (4× the members: linear is 4×; the command's median "
                 f"at {sizes[-1]:,} over its median at {sizes[0]:,}):\n\n{growth(rows, sizes[0], sizes[-1])}\n")
    if any(r.members == sizes[-1] for r in rows):
        text += f"\nPeak memory at {sizes[-1]:,} members, each process's own:\n\n{peaks(rows, sizes[-1])}\n"
    if "unpaired" in wanted:
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
