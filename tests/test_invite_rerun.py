"""`som invite` again with nothing changed (agenda/app/rerun.py): the report is replayed without
planning, and any change of an input, of the folder or of som itself takes the full path.

Each change is checked against the same runs with the shortcut turned off (the full path every
time): the folder must end byte for byte the same, and the report the same text. Planning is
counted, so a change the shortcut missed shows as a run that did not plan.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from agenda.app import invite as app_invite
from agenda.app import rerun
from agenda.cli import som
from tests.invite_scenarios import SCENARIOS

EPOCH = 1693569600  # 2023-09-01T12:00:00Z
DIVERGENCE = next(s for s in SCENARIOS if s.name == "divergence")
OWN_DIRECTORY = '''name = "offices"
extends = "base.toml"

[[member]]
id = "tokyo"
emails = ["tyo@example.org"]
'''


@pytest.fixture
def planned(monkeypatch) -> list[int]:
    """How many times the runs planned (the full path)."""
    calls: list[int] = []
    plan = app_invite.plan_invitations

    def counting(*args, **kwargs):
        calls.append(1)
        return plan(*args, **kwargs)

    monkeypatch.setattr(app_invite, "plan_invitations", counting)
    return calls


def invite(*args: str, epoch: int = EPOCH):
    """`som invite in/meeting.toml -o out ARGS` in the current folder: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(som, ["invite", "in/meeting.toml", "-o", "out", *args],
                                env={"SOURCE_DATE_EPOCH": str(epoch), "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def inputs(base: Path) -> None:
    """The divergence meeting, its members in base.toml, extended by offices.toml (Tokyo's address)."""
    DIVERGENCE.write(base / "in")
    (base / "in" / "offices.toml").rename(base / "in" / "base.toml")
    (base / "in" / "offices.toml").write_text(OWN_DIRECTORY, encoding="utf-8")


def settled(base: Path, monkeypatch) -> tuple:
    """Inputs in base/in, issued into base/out, then issued again (nothing changed: the note for
    the next run is left); the report of that second run."""
    base.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(base)
    inputs(base)
    assert invite()[0] == 0
    report = invite()
    assert report[0] == 0 and "wrote 0 files" in report[1]
    assert "rerun" in json.loads((base / "out" / ".som-files.json").read_bytes())
    return report


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stamps(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}


# --- the shortcut --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["table", "json"])
def test_nothing_changed_replays_the_full_report_without_planning(tmp_path, monkeypatch, planned, fmt):
    settled(tmp_path, monkeypatch)
    planned.clear()
    args = ("--format", fmt)
    full = invite(*args)  # for json, a new parameter: the full path, which leaves its own note
    assert full[0] == 0 and planned == ([] if fmt == "table" else [1])
    assert "wrote 0 files" in full[1] if fmt == "table" else json.loads(full[1])["written"] == []
    planned.clear()
    before, times = files(tmp_path / "out"), stamps(tmp_path / "out")
    again = invite(*args)
    assert planned == []  # the shortcut
    assert again == full  # exit code, stdout and stderr, byte for byte
    assert files(tmp_path / "out") == before and stamps(tmp_path / "out") == times  # nothing written
    if fmt == "json":
        document = json.loads(again[1])
        assert document["written"] == [] and document["unchanged"] == len(json.loads(
            before[".som-files.json"])["files"]) - 1  # every file but the record


def test_the_report_is_the_full_paths_with_the_shortcut_off(tmp_path, monkeypatch, planned):
    report = settled(tmp_path / "a", monkeypatch)
    planned.clear()
    assert invite() == report and planned == []
    monkeypatch.setattr(rerun, "replay", lambda *a, **k: None)
    assert invite() == report and planned == [1]


# --- every change takes the full path ------------------------------------------------------

def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES = {
    # name: (what to change in the folder base, extra arguments of the next run)
    "meeting time": (lambda b: _edit(b / "in" / "meeting.toml", "date = 2023-", "date = 2024-"), ()),
    "e-mail in the directory": (lambda b: _edit(b / "in" / "offices.toml", "tyo@example.org", "tokyo@example.org"), ()),
    "the extended directory": (lambda b: _edit(b / "in" / "base.toml", "scl@example.org", "santiago@example.org"), ()),
    "a member's zone in the extended directory": (
        lambda b: _edit(b / "in" / "base.toml", '"Asia/Kathmandu"', '"Asia/Kolkata"'), ()),
    "an option": (lambda b: None, ("--no-alarm",)),
    "another option": (lambda b: None, ("--eml",)),
    "a deleted invitation": (lambda b: (b / "out" / "members" / "tokyo" / "divergence-autumn.ics").unlink(), ()),
    "a deleted record": (lambda b: (b / "out" / "som-issued.toml").unlink(), ()),
    "an edited invitation": (lambda b: _edit(b / "out" / "divergence.ics", "SUMMARY:", "SUMMARY:x"), ()),
    "an edited record": (lambda b: _edit(b / "out" / "som-issued.toml", "sequence = 0", "sequence = 1"), ()),
    "a link for an invitation": (lambda b: _link(b / "out" / "members" / "tokyo" / "divergence-autumn.ics"), ()),
    "a killed run's pending digest": (lambda b: _manifest(b, lambda m: m.__setitem__("pending", {"x.ics": ["0" * 64]})), ()),
    "a killed run's half-saved manifest": (lambda b: (b / "out" / ".som-files.json.k1ll3d0x.tmp").write_bytes(b"{"), ()),
    "a forged note": (lambda b: _manifest(b, lambda m: m["rerun"]["payload"].__setitem__("meeting", "forged")), ()),
    "a file left out of the manifest": (lambda b: _manifest(b, lambda m: m["files"].pop("divergence.ics")), ()),
}


def _link(path: Path) -> None:
    twin = path.with_name("twin.bin")
    twin.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(twin.name)


def _manifest(base: Path, change) -> None:
    path = base / "out" / ".som-files.json"
    manifest = json.loads(path.read_bytes())
    change(manifest)
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_takes_the_full_path_and_ends_as_the_full_path_would(tmp_path, monkeypatch, planned, change):
    edit, args = CHANGES[change]
    results = {}
    for side in ("shortcut", "full"):
        base = tmp_path / side
        with monkeypatch.context() as m:
            if side == "full":
                m.setattr(rerun, "replay", lambda *a, **k: None)
            settled(base, m)
            edit(base)
            planned.clear()
            results[side] = invite(*args), files(base / "out")
            assert planned == [1], f"{change}: the full path was not taken"
            results[side] += (invite(*args), invite(*args))  # and the runs after it
    (code, out, err), made, *after = results["shortcut"]
    assert (code, out, err) == results["full"][0]
    assert after == list(results["full"][2:])
    # the invitations and the record as the full path leaves them (the manifest's note aside,
    # which names no path of this machine but its input digests)
    assert {k: v for k, v in made.items() if k != ".som-files.json"} == \
        {k: v for k, v in results["full"][1].items() if k != ".som-files.json"}


@pytest.mark.parametrize("change", ["meeting time", "e-mail in the directory", "the extended directory",
                                    "another option"])
def test_after_a_change_the_files_are_a_fresh_runs(tmp_path, monkeypatch, planned, change):
    """What a change makes equals a run into an empty folder (updates aside: a moved segment
    has SEQUENCE 1 in the folder that had it, 0 in a fresh one, so its record and files differ;
    --no-alarm is an update too, with a later DTSTAMP)."""
    edit, args = CHANGES[change]
    settled(tmp_path / "a", monkeypatch)
    edit(tmp_path / "a")
    assert invite(*args)[0] == 0
    fresh = tmp_path / "b"
    fresh.mkdir()
    monkeypatch.chdir(fresh)
    inputs(fresh)
    edit(fresh)
    assert invite(*args)[0] == 0
    mine = {k: v for k, v in files(tmp_path / "a" / "out").items() if k != ".som-files.json"}
    new = {k: v for k, v in files(fresh / "out").items() if k != ".som-files.json"}
    if change == "meeting time":
        assert set(mine) == set(new) and b"SEQUENCE:1" in mine["divergence.ics"]
        assert mine != new
    else:
        assert mine == new


def test_source_date_epoch_takes_the_full_path(tmp_path, monkeypatch, planned):
    report = settled(tmp_path, monkeypatch)
    before = files(tmp_path / "out")
    planned.clear()
    assert invite(epoch=EPOCH + 86400) == report  # the record keeps each DTSTAMP: the same report
    assert planned == [1]
    assert {k: v for k, v in files(tmp_path / "out").items() if k != ".som-files.json"} == \
        {k: v for k, v in before.items() if k != ".som-files.json"}


@pytest.mark.parametrize("what", ["package", "zone"])
def test_another_som_or_tzdata_takes_the_full_path(tmp_path, monkeypatch, planned, what):
    settled(tmp_path, monkeypatch)
    planned.clear()
    if what == "package":
        monkeypatch.setattr(rerun, "package_digest", lambda: "another som")
    else:
        real = rerun.zone_bytes
        monkeypatch.setattr(rerun, "zone_bytes", lambda key: real(key) + b"x" if key == "Asia/Tokyo" else real(key))
    assert invite()[0] == 0 and planned == [1]


def test_acting_runs_never_take_the_shortcut(tmp_path, monkeypatch, planned):
    settled(tmp_path, monkeypatch)
    for args in (("--dry-run",), ("--force",), ("--cancel", "autumn")):
        planned.clear()
        invite(*args)
        assert planned == [1], args


def test_the_folder_of_another_run_takes_the_full_path(tmp_path, monkeypatch, planned):
    """A folder locked by another run: the full path says so (one line, exit 2)."""
    settled(tmp_path, monkeypatch)
    from agenda.effects.files import OutputDir, unlock_all

    fd = os.open(tmp_path / "out", os.O_RDONLY)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        planned.clear()
        code, _, err = invite()
        assert code == 2 and "another som run is writing" in err and planned == [1]
    finally:
        os.close(fd)
        unlock_all()
    assert OutputDir(tmp_path / "out").rerun is not None
