"""The benchmark suite: `make bench` (or `python bench/run.py [--write-docs]`).

Each benchmark runs the real `som` command (or the library call it makes) several times and
reports the median wall time against its goal. Timings are of this machine; the table in
docs/benchmarks.md says which machine it was.
"""

from __future__ import annotations

import argparse
import importlib.resources
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE_PAGE = ROOT / "docs" / "benchmarks.md"  # the table goes between its bench:start/end markers
BIN = Path(sys.executable).parent
SOM = str(BIN / "som")


def median_seconds(argv: list[str], runs: int = 7, cwd: str | None = None, env=None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def canonical_zones() -> list[str]:
    """Every zone of zone1970.tab: one per region whose clocks have agreed since 1970."""
    text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone1970.tab").read_text()
    return sorted({line.split("\t")[2] for line in text.splitlines() if line and not line.startswith("#")})


def bench_help(rows):
    click_ = median_seconds([sys.executable, "-c", "import click"], runs=9)
    som = median_seconds([SOM, "--help"], runs=9)
    rows.append(("`som --help` (cold start)", f"{som * 1000:.0f} ms",
                 f"{som / click_:.2f}× `python -c 'import click'` ({click_ * 1000:.0f} ms)", "≤ 1.5×"))


def bench_schedule(rows):
    zones = canonical_zones()
    args = [SOM, "schedule"] + [a for z in zones for a in ("--tz", z)]
    for fmt in ("json", "table"):
        t = median_seconds(args + ["--format", fmt], runs=5)
        rows.append((f"`som schedule --tz` × {len(zones)} canonical zones, {fmt}", f"{t:.2f} s",
                     f"3 segments × {len(zones) + 53} rows", "≤ 0.5 s"))


def bench_build(rows):
    if "build" not in subprocess.run([SOM, "--help"], capture_output=True, text=True).stdout:
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        t = median_seconds([SOM, "build", "-o", str(Path(tmp) / "pack")], runs=5, env=env)
    rows.append(("`som build` on SOM29 (re-run into the same folder)", f"{t:.2f} s", "", ""))


def run_script(name: str, rows, *args: str) -> None:
    """bench_<name>.py prints result rows as `| what | time | note | goal |` lines."""
    script = ROOT / "bench" / f"bench_{name}.py"
    out = subprocess.run([sys.executable, str(script), "--rows", *args], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("| ") and "---" not in line:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4:
                rows.append(tuple(cells))


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


def table(rows) -> str:
    lines = ["| benchmark | median | compared with | goal |", "| --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write-docs", "--write-readme", dest="write_docs", action="store_true",
                        help="put the table into docs/benchmarks.md (--write-readme is the old name)")
    args = parser.parse_args()
    rows: list[tuple] = []
    for bench in (bench_help, bench_schedule):
        bench(rows)
    run_script("invite", rows, "--members", "10000", "--goal", "2")
    run_script("invite", rows, "--members", "40000", "--repeat", "1", "--goal", "6")
    for name in ("suggest", "scale"):
        run_script(name, rows)
    run_script("replies", rows, "--messages", "10000", "--goal", "10")
    bench_build(rows)
    text = f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine()}.\n\n{table(rows)}\n"
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
    if shutil.which(SOM) is None and not Path(SOM).exists():
        sys.exit("run `make setup` first")
    main()
