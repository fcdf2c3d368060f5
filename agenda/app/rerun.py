"""`som invite` again with nothing changed: the report, without making every invitation again.

A run that changed nothing (every file it would write already there, byte for byte) leaves at
the end of the folder's manifest (`.som-files.json`) what it reported and one digest of
everything its output depends on (`run_key`). The next run with the same inputs finds the same
digest, reads every file the manifest lists back with its recorded SHA-256 (what a full run's
check reads too), and prints the same report without loading the directory or planning.

What goes into the digest, and why each: som's version and the bytes of its package (code,
catalogs) and of its bundled calendars; Python's version and the installed distributions (Babel's
zone names, holidays, tzdata); the bytes of each zone file the meeting uses, found as zoneinfo
finds them; the bytes of every file the load read (the meeting file, each member directory of an
`extends` chain, holiday calendars); every parameter of the command as Click parsed it, and the
options the run derived from them; the folder it ran in (paths are relative to it); the
environment variables that change the output (SOURCE_DATE_EPOCH and zoneinfo's search path); the
manifest's own digest (it lists the record, so the record's bytes too).

The wall clock is not in it: it stamps (DTSTAMP) only a new version of a segment, and a run that
issues one writes a file, so leaves no entry. Anything else — a digest that differs, a file
missing, changed or replaced by a link, a pending digest of a killed run, a temporary file, a
folder another run is writing into — and the run takes the full path, which says what it finds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zoneinfo
from importlib import resources
from pathlib import Path
from typing import Iterable

from agenda.effects.files import MANIFEST, OutputDir, manifest_digest

# Environment variables that change what a run writes or reports (besides the ones that change
# only how the report is laid out on a terminal, which the replayed report follows as a full run).
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "PYTHONTZPATH")
PACK_RECORD = "invitations/som-issued.toml"  # a pack's invitations (agenda.app.invite refuses the folder)


def package_digest() -> str:
    """som's version and the bytes of every file of its package and bundled calendars, with Python's
    version and the distributions installed beside it (1 MB read and hashed: a few milliseconds)."""
    import agenda

    digest = hashlib.sha256(f"{agenda.__version__}\0{sys.version}\0".encode())
    folders = [Path(agenda.__file__).parent]
    try:
        folders.append(Path(str(resources.files("agenda.calendars"))))
    except (ModuleNotFoundError, TypeError):
        folders.append(Path(agenda.__file__).resolve().parents[1] / "calendars")
    for folder in folders:
        for where, dirs, names in sorted(os.walk(folder)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                path = os.path.join(where, name)
                with open(path, "rb") as f:
                    digest.update(f"{os.path.relpath(path, folder)}\0".encode() + hashlib.sha256(f.read()).digest())
    for entry in sys.path:  # the installed distributions and their versions, from their metadata folders' names
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        digest.update(f"{entry}\0{names}\0".encode())
    return digest.hexdigest()


def zone_bytes(key: str) -> bytes | None:
    """The TZif bytes zoneinfo reads for `key`: the first of its search path, else the tzdata package."""
    for folder in zoneinfo.TZPATH:
        path = os.path.join(folder, key)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                return f.read()
    try:
        package, _, name = f"tzdata.zoneinfo.{key.replace('/', '.')}".rpartition(".")
        return resources.files(package).joinpath(name).read_bytes()
    except (ModuleNotFoundError, OSError, ValueError):
        return None


def meeting_zones(meeting) -> list[str]:
    """The keys of every zone a meeting's output depends on: its own, its segments', its members'."""
    zones = {meeting.zone, *(m.zone for m in meeting.members)}
    zones.update(t.tzinfo for s in meeting.segments for t in (s.start, s.end))
    return sorted({key for z in zones if (key := getattr(z, "key", None))})


def input_files(files: Iterable[tuple[str, str]]) -> list[list[str]]:
    """(path, digest) of each file a load read, de-duplicated in order."""
    return [list(pair) for pair in dict.fromkeys((str(p), d) for p, d in files)]


def current_inputs(files: Iterable[Iterable[str]]) -> list[list[str]] | None:
    """The same paths with the digests of their bytes now; None when one cannot be read."""
    out = []
    for path, _ in files:
        try:
            with open(path, "rb") as f:
                out.append([path, hashlib.sha256(f.read()).hexdigest()])
        except OSError:
            return None
    return out


def run_key(*, inputs: list[list[str]], zones: list[str], params: dict, options: object, manifest: str,
            report: object) -> str:
    """One digest of everything a run's output depends on (the module's docstring lists them), and
    of the `report` it gave (so that an edited report is not replayed)."""
    digest = hashlib.sha256(json.dumps(report, sort_keys=True).encode() + b"\0")
    for part in (package_digest(), repr(inputs), repr(sorted((k, repr(v)) for k, v in params.items())),
                 repr(options), os.getcwd(), repr([(k, os.environ.get(k)) for k in ENVIRONMENT]),
                 repr(zoneinfo.TZPATH), manifest):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for key in zones:
        data = zone_bytes(key)
        digest.update(key.encode() + b"\0" + (hashlib.sha256(data).digest() if data is not None else b"-"))
    return digest.hexdigest()


def replay(root: Path, *, params: dict, options: object) -> dict | None:
    """What the last run that changed nothing reported (its "notes" and "payload"), when nothing it
    depends on has changed since and every file reads back as recorded; else None (the full path).
    The folder stays locked for the rest of the command, as a full run's would."""
    if not (root / MANIFEST).is_file() or (root / PACK_RECORD).exists() or not os.access(root, os.W_OK | os.X_OK):
        return None
    try:
        output = OutputDir(root)
        entry = output.rerun
        if entry is None or output.manifest_digest is None:
            return None
        output.lock(clean=False)
    except Exception:  # a damaged manifest, a folder another run holds: the full path says so
        return None
    try:
        entry = output.rerun or {}
        inputs = current_inputs(entry.get("inputs", ()))
        if (inputs is None or not isinstance(entry.get("zones"), list) or output.manifest_digest is None
                or entry.get("key") != run_key(inputs=inputs, zones=entry["zones"], params=params, options=options,
                                               manifest=output.manifest_digest,
                                               report=[entry.get("notes"), entry.get("payload")])
                or not output.reads_back()):
            output.unlock()
            return None
    except Exception:
        output.unlock()
        return None
    return entry


def remember(output: OutputDir, *, files: Iterable[tuple[str, str]], meeting, names: Iterable[str], params: dict,
             options: object, notes: list[str], payload: dict) -> bool:
    """After a full run that changed nothing (the caller knows): if the folder holds exactly the
    files it would write (`names`), and nothing is pending, end the manifest with what the run
    reported and the digest of its inputs; True if it did. A manifest that lists other files
    (a member taken out of the directory) leaves the next run on the full path."""
    if output.pending or set(output.manifest) != set(names):
        return False
    inputs = input_files(files)
    zones = meeting_zones(meeting)
    key = run_key(inputs=inputs, zones=zones, params=params, options=options,
                  manifest=manifest_digest(output.manifest, output.pending), report=[notes, payload])
    entry = {"key": key, "inputs": inputs, "zones": zones, "notes": notes, "payload": payload}
    if entry == output.rerun:  # said already
        return False
    output.remember(entry)
    return True
