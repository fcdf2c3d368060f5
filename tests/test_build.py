"""`som build`: the whole pack, byte-identical on re-run, never half-written, never over foreign files."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agenda.effects.files import MANIFEST, OutputDir
from agenda.read.load import load_meeting
from tests import som29

ROOT = Path(__file__).resolve().parent.parent
SOM29 = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_pack_has_everything_and_rebuilds_byte_identical(runner, tmp_path, epoch):
    result = runner("build", "-o", "pack")
    assert result.exit_code == 0, result.output
    pack = tmp_path / "pack"
    files = set(digests(pack))
    for name in ("index.md", "schedule.md", "schedule.csv", "schedule.json", "checklist.md", "checklist.ics",
                 "checklist-events.ics", "agenda/midterm.md", "agenda/midterm.html", "agenda/midterm.docx",
                 "agenda/senior.docx", "invitations/emg-som29.ics", "invitations/emg-som29-technical.ics",
                 "invitations/som-issued.toml", MANIFEST):
        assert name in files, name
    index = (pack / "index.md").read_text(encoding="utf-8")
    assert "[agenda/technical.html](agenda/technical.html)" in index
    assert f"{len(som29.WITHOUT_EMAIL)} members have no e-mail address" in index
    first = digests(pack)
    again = runner("build", "-o", "pack")
    assert again.exit_code == 0 and "unchanged" in again.stdout and "written" not in again.stdout
    assert digests(pack) == first


def test_a_changed_time_updates_only_what_it_touches(runner, tmp_path, epoch, write):
    meeting = write("som29.toml", SOM29)
    assert runner("build", meeting, "-o", "pack").exit_code == 0
    before = digests(tmp_path / "pack")
    meeting.write_text(SOM29.replace('date = 2023-09-26\ntime = "15:00-17:00 CEST"',
                                     'date = 2023-09-26\ntime = "16:00-18:00 CEST"'), encoding="utf-8")
    result = runner("build", meeting, "-o", "pack")
    assert result.exit_code == 0, result.output
    assert "technical: time" in result.stdout and "SEQUENCE 0 → 1" in result.stdout
    after = digests(tmp_path / "pack")
    changed = {name for name in after if before.get(name) != after[name]}
    assert {"schedule.json", "agenda/technical.md", "invitations/emg-som29-technical.ics",
            "invitations/emg-som29.ics", "invitations/som-issued.toml"} <= changed
    assert not changed & {"agenda/midterm.md", "agenda/senior.md", "invitations/emg-som29-senior.ics"}
    technical = (tmp_path / "pack" / "invitations" / "emg-som29-technical.ics").read_bytes()
    assert b"SEQUENCE:1\r\n" in technical and b"UID:technical.emg-som29@som\r\n" in technical


def test_output_that_is_a_file(runner, tmp_path):
    (tmp_path / "pack").write_text("not a folder")
    result = runner("build", "-o", "pack")
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr


def test_a_foreign_file_is_refused_and_nothing_is_written(runner, tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "schedule.md").write_text("my own notes")
    result = runner("build", "-o", "pack")
    assert result.exit_code == 2
    assert "schedule.md exists and som did not write it" in result.stderr and "--force" in result.stderr
    assert [p.name for p in pack.iterdir()] == ["schedule.md"]
    assert runner("build", "-o", "pack", "--force").exit_code == 0
    assert (pack / "schedule.md").read_text() != "my own notes"


def test_bad_meeting_writes_nothing(runner, tmp_path, write):
    meeting = write("bad.toml", SOM29.replace('time = "14:00-15:30 CEST"', 'time = "14:00-15:30 CET"'))
    result = runner("build", meeting, "-o", "pack")
    assert result.exit_code == 2 and "Geneva is on CEST" in result.stderr
    assert not (tmp_path / "pack").exists()


def test_a_failure_halfway_leaves_whole_files_and_the_next_run_finishes(runner, tmp_path, epoch, write, monkeypatch):
    meeting = write("som29.toml", SOM29)
    assert runner("build", meeting, "-o", "pack").exit_code == 0
    old = digests(tmp_path / "pack")
    meeting.write_text(SOM29.replace("14:00-15:30 CEST", "14:30-16:00 CEST"), encoding="utf-8")
    real_write, calls = OutputDir.write, []

    def failing_write(self, name, data):
        calls.append(name)
        if len(calls) == 5:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C halfway
        return real_write(self, name, data)

    monkeypatch.setattr(OutputDir, "write", failing_write)
    result = runner("build", meeting, "-o", "pack")
    assert result.exit_code == 130 and "interrupted" in result.stderr
    monkeypatch.setattr(OutputDir, "write", real_write)
    assert not [p for p in (tmp_path / "pack").rglob("*.tmp")]
    finished = runner("build", meeting, "-o", "pack")
    assert finished.exit_code == 0, finished.output
    clean = tmp_path / "clean"
    assert runner("build", meeting, "-o", clean).exit_code == 0
    # Outside invitations/ the pack is what a clean build makes, but for the page and its history
    # (and the manifest of their bytes), which remember that the senior segment moved; inside,
    # the senior segment is an update of what was issued before the interruption (SEQUENCE 1),
    # not a new event.
    remembers = ("invitations/", "index.html", "history.json", MANIFEST)
    pack = {k: v for k, v in digests(tmp_path / "pack").items() if not k.startswith(remembers)}
    assert pack == {k: v for k, v in digests(clean).items() if not k.startswith(remembers)}
    assert "Time changed on 14 November 2023" in (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert pack["schedule.json"] != old["schedule.json"]
    senior = (tmp_path / "pack" / "invitations" / "emg-som29-senior.ics").read_bytes()
    assert b"SEQUENCE:1\r\n" in senior and b"DTSTART;TZID=Europe/Zurich:20231010T143000\r\n" in senior


def unfinished(pack: Path, complete: set[str]) -> list[str]:
    """What shows that a build of `pack` did not finish: writes still pending in a manifest
    (OutputDir.intend notes them, commit() clears them), temporary files, missing files."""
    signs = []
    for manifest in sorted(pack.rglob(MANIFEST)):
        pending = json.loads(manifest.read_text(encoding="utf-8")).get("pending", {})
        if pending:
            signs.append(f"{manifest.relative_to(pack)} lists {len(pending)} pending writes")
    if not (pack / MANIFEST).exists():
        signs.append(f"no {MANIFEST} in the pack yet")
    temporary = list(pack.rglob("*.tmp"))
    if temporary:
        signs.append(f"{len(temporary)} temporary files")
    missing = complete - set(digests(pack)) if pack.exists() else complete
    if missing:
        signs.append(f"{len(missing)} of {len(complete)} files missing")
    return signs


def has_pending(manifest: Path) -> bool:
    try:
        return bool(json.loads(manifest.read_text(encoding="utf-8")).get("pending"))
    except (FileNotFoundError, ValueError):
        return False


def renaming_started(folder: Path) -> bool:
    """write_many renames its temporary files into place only after all are written and synced."""
    try:
        return any(name.endswith(".ics") and not name.startswith(".") for name in os.listdir(folder))
    except FileNotFoundError:
        return False


# Moments of `som build` to kill at, each seen on disk by polling (no fixed sleeps).
KILL_MOMENTS = {
    # the invitations are noted as pending: write_many is writing its temporary files
    "invitations pending": lambda pack: has_pending(pack / "invitations" / MANIFEST),
    # the first invitation is in place: the others are being renamed, the record is to come
    "invitations renaming": lambda pack: renaming_started(pack / "invitations"),
    # the pack's own files are noted as pending: index, schedule, agendas, checklist being written
    "pack files pending": lambda pack: has_pending(pack / MANIFEST),
}


def test_killed_build_resumes_to_the_same_pack(runner, tmp_path, epoch, monkeypatch):
    """SIGKILL a real `som build` at three moments of its writing; the next run always ends
    with the pack a clean build makes.

    How it proves each kill landed mid-run: the test polls the folder and kills as soon as the
    moment shows on disk (KILL_MOMENTS). A SIGKILLed process writes nothing more, so the folder
    after the kill is the folder at the kill, and it must show the run unfinished (`unfinished`:
    pending writes in a manifest, no pack manifest yet, temporary files or missing files), which
    the clean build is checked never to show. A kill before the first write, or after the last,
    fails the test. Each moment opens tens of milliseconds of writing (100 members with an
    address × 3 segments: 300 invitations), far longer than one poll of half a millisecond.

    Speed: the clean build and the re-runs run in this process (only the killed runs must be
    processes of their own), and os.sync() does nothing in any of them: it guards against a
    power cut, not a kill (the page cache keeps every write of a killed process for the next
    run to see), and on a shared machine it waits for every other process's writes, seconds at
    times. About 2 s in all, mostly the three killed runs starting Python.
    """
    monkeypatch.setattr(os, "sync", lambda: None)
    meeting = tmp_path / "big.toml"
    directory = tmp_path / "members.toml"
    directory.write_text('extends = "un-entities"\n' + "".join(
        f'[[member]]\nid = "extra{i}"\nacronym = "X{i}"\nname = "Extra {i}"\ncity = "Tokyo"\ncountry = "JP"\n'
        f'timezone = "Asia/Tokyo"\nemails = ["x{i}@example.org"]\n' for i in range(100)))
    meeting.write_text(SOM29.replace('members = "un-entities"', 'members = "members.toml"'), encoding="utf-8")
    assert runner("build", meeting, "-o", "clean").exit_code == 0
    want = {k: v for k, v in digests(tmp_path / "clean").items() if k != MANIFEST}
    assert unfinished(tmp_path / "clean", set(want)) == []
    som = "import os; os.sync = lambda: None; from agenda.cli import main; main()"  # `som`, without sync
    for moment, reached in KILL_MOMENTS.items():
        pack = tmp_path / moment.replace(" ", "-")
        proc = subprocess.Popen([sys.executable, "-c", som, "build", str(meeting), "-o", str(pack)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # SOURCE_DATE_EPOCH: epoch
        seen, deadline = False, time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if reached(pack):
                seen = True
                break
            time.sleep(0.0005)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL, f"{moment}: the build ended before the kill"
        assert seen, f"{moment}: not seen on disk in 60 s"
        signs = unfinished(pack, set(want))
        assert signs, f"{moment}: the kill came after the build had finished"
        rerun = runner("build", meeting, "-o", pack)
        assert rerun.exit_code == 0, rerun.output
        got = {k: v for k, v in digests(pack).items() if k != MANIFEST and not k.endswith(".tmp")}
        assert got == want, (moment, signs)


def test_meeting_loads_for_the_pack():
    # the bundled pack needs an organizer for its invitations
    assert load_meeting().organizer.email == "emg.secretariat@example.org"


def test_a_meeting_without_organizer_gets_the_pack_without_invitations(runner, tmp_path, write):
    meeting = write("imported.toml", SOM29.replace(
        'organizer = { name = "EMG Secretariat", email = "emg.secretariat@example.org" }', ""))
    result = runner("build", meeting, "-o", "pack")
    assert result.exit_code == 0, result.output
    assert "no organizer" in result.stdout
    assert (tmp_path / "pack" / "agenda" / "midterm.html").exists()
    assert not (tmp_path / "pack" / "invitations").exists()
    assert "no invitations: the meeting file has no organizer" in (tmp_path / "pack" / "index.md").read_text()


def test_a_folder_of_som_invite_is_not_a_pack(runner, tmp_path):
    assert runner("invite", "-o", "inv").exit_code == 0
    before = digests(tmp_path / "inv")
    result = runner("build", "-o", "inv")
    assert result.exit_code == 2 and "holds invitations issued by `som invite`" in result.stderr
    assert digests(tmp_path / "inv") == before
