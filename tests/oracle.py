"""Expected instants from GNU `date` and the system's zone files, never from som's code.

    utc_of_local("2023-09-26 15:00", "Europe/Zurich")  -> 2023-09-26 13:00 UTC
    local_of_utc(that, "America/New_York")             -> (09:00, "EDT", -240)

The *_many helpers answer many questions with one `date -f` run per call
(utc_of_local_many) or per zone (local_of_utc_many), for property tests.
"""

import datetime as dt
import os
import re
import subprocess
import zoneinfo
from collections.abc import Iterable

UTC = dt.timezone.utc
_LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")
_ENV = {**os.environ, "LC_ALL": "C", "TZ": "UTC"}


class OracleError(RuntimeError):
    pass


def _zone(zone: str) -> str:
    # An unknown TZ makes date silently answer in UTC: refuse it up front.
    parts = zone.split("/")
    if zone.startswith("/") or ".." in parts or not any(
        os.path.isfile(os.path.join(d, zone)) for d in zoneinfo.TZPATH
    ):
        raise OracleError(f"{zone!r} is not a zone in the system's zone files {zoneinfo.TZPATH}")
    return zone


def _local(local: str | dt.datetime) -> str:
    if isinstance(local, dt.datetime):
        if local.tzinfo is not None:
            raise ValueError(f"local time must be naive, got {local!r}")
        return f"{local.year:04d}-{local:%m-%d %H:%M:%S}"
    if not _LOCAL.fullmatch(local):
        raise ValueError(f"local time must look like '2023-09-26 15:00', got {local!r}")
    return local.replace("T", " ")


def _date(args: list[str], stdin: str = "", tz: str = "UTC") -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["date", *args], input=stdin, capture_output=True, text=True,
                              env={**_ENV, "TZ": tz}, check=False)
    except FileNotFoundError as exc:
        raise OracleError("GNU date is needed for the oracle and was not found") from exc


def _utc(epoch: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), UTC)


def utc_of_local_many(items: Iterable[tuple[str | dt.datetime, str]]) -> list[dt.datetime | None]:
    """UTC instants of (local wall time, IANA zone) pairs; None where the local time does not
    exist in that zone (a DST gap). An ambiguous time gets the instant date picks (for
    Europe/Zurich's October fold: the later one, in standard time)."""
    # GNU date reads `TZ="zone" 2023-09-26 15:00` as a wall time in that zone.
    lines = [f'TZ="{_zone(zone)}" {_local(local)}' for local, zone in items]
    if not lines:
        return []
    run = _date(["-f", "-", "+%s"], "\n".join(lines) + "\n")
    if run.returncode == 0:
        out = run.stdout.split()
        if len(out) != len(lines):
            raise OracleError(f"date answered {len(out)} lines for {len(lines)}: {run.stderr}")
        return [_utc(s) for s in out]
    # Some time was invalid; date skips it in stdout, so ask one by one to know which.
    results = []
    for line in lines:
        one = _date(["-d", line, "+%s"])
        if one.returncode == 0:
            results.append(_utc(one.stdout.strip()))
        elif "invalid date" in one.stderr:
            results.append(None)
        else:
            raise OracleError(f"date -d {line!r} failed: {one.stderr.strip()}")
    return results


def utc_of_local(local: str | dt.datetime, zone: str) -> dt.datetime:
    """The UTC instant of a wall time in an IANA zone, e.g. ("2023-09-26 15:00", "Europe/Zurich")."""
    [result] = utc_of_local_many([(local, zone)])
    if result is None:
        raise ValueError(f"{local} does not exist in {zone} (a DST gap)")
    return result


def _epoch(utc: dt.datetime) -> int:
    if utc.tzinfo is None:
        raise ValueError(f"utc must be an aware datetime, got {utc!r}")
    return int(utc.timestamp())


def _offset_minutes(z: str) -> int:
    sign = -1 if z[0] == "-" else 1
    return sign * (int(z[1:3]) * 60 + int(z[3:5]))


def local_of_utc_many(items: Iterable[tuple[dt.datetime, str]]) -> list[tuple[dt.datetime, str, int]]:
    """For (aware instant, IANA zone) pairs: (naive wall time, abbreviation, UTC offset in minutes)."""
    items = list(items)
    by_zone: dict[str, list[int]] = {}
    for i, (utc, zone) in enumerate(items):
        by_zone.setdefault(_zone(zone), []).append(i)
    results: list = [None] * len(items)
    for zone, indexes in by_zone.items():
        stdin = "".join(f"@{_epoch(items[i][0])}\n" for i in indexes)
        run = _date(["-f", "-", "+%Y-%m-%dT%H:%M:%S %Z %z"], stdin, tz=zone)
        out = run.stdout.splitlines()
        if run.returncode != 0 or len(out) != len(indexes):
            raise OracleError(f"TZ={zone} date -f failed: {run.stderr.strip()}")
        for i, line in zip(indexes, out):
            wall, abbr, offset = line.split(" ")
            results[i] = (dt.datetime.fromisoformat(wall), abbr, _offset_minutes(offset))
    return results


def local_of_utc(utc: dt.datetime, zone: str) -> tuple[dt.datetime, str, int]:
    """(naive wall time, abbreviation such as "CEST", UTC offset in minutes) of an instant in a zone."""
    [result] = local_of_utc_many([(utc, zone)])
    return result
