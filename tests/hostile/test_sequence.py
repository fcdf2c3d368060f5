"""Promise: nothing lost. SEQUENCE never goes down (nor below 0), a lost record is refused or
recovered from the files, and a cancellation stands across edits of anything but date, time
or place."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from tests.hostile.common import MEMBER_WITH_MAIL, first_segment, meeting, refused, som_run


def sequences(folder) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for path in folder.rglob("*.ics"):
        text = path.read_bytes().replace(b"\r\n ", b"").decode()
        out[str(path.relative_to(folder))] = {int(n) for n in re.findall(r"^SEQUENCE:(-?\d+)\r?$", text, re.M)}
    return out


def forge(out, name: str, data: bytes) -> None:
    """Replace a file som wrote, and its digest in the manifest: damage som cannot tell from its own."""
    (out / name).write_bytes(data)
    manifest = json.loads((out / ".som-files.json").read_text())
    manifest["files"][name] = hashlib.sha256(data).hexdigest()
    (out / ".som-files.json").write_text(json.dumps(manifest))


def member_file(out):
    return next((out / "members" / MEMBER_WITH_MAIL).glob(f"*-{first_segment()}.ics"))


def methods(path) -> set[str]:
    return set(re.findall(r"^METHOD:(\w+)\r?$", path.read_text(), re.M))


@pytest.fixture
def twice(tmp_path):
    """Issued, then changed and issued again: the first segment's files are at SEQUENCE 1."""
    out = tmp_path / "out"
    assert som_run("invite", meeting(tmp_path / "in"), "-o", out).exit_code == 0
    result = som_run("invite", meeting(tmp_path / "in", start="11:00", end="12:00"), "-o", out)
    assert result.exit_code == 0, result.output
    assert sequences(out)[str(member_file(out).relative_to(out))] == {1}
    return out


def test_a_deleted_record_is_refused(twice, tmp_path):
    (twice / "som-issued.toml").unlink()
    before = sequences(twice)
    refused(som_run("invite", meeting(tmp_path / "in", start="13:00", end="14:00"), "-o", twice),
            "som-issued.toml is missing", "--force")
    assert sequences(twice) == before


def test_with_force_sequence_goes_on_from_the_files(twice, tmp_path):
    (twice / "som-issued.toml").unlink()
    result = som_run("invite", meeting(tmp_path / "in", start="13:00", end="14:00"), "-o", twice, "--force")
    assert result.exit_code == 0, result.output
    assert sequences(twice)[str(member_file(twice).relative_to(twice))] == {2}
    assert "goes on from the SEQUENCE 1" in result.output
    # and the DTSTAMP is later than the one the calendars hold
    stamps = re.findall(r"^DTSTAMP:(\S+)\r?$", member_file(twice).read_text(), re.M)
    assert stamps and min(stamps) > "20230901T120000Z"


@pytest.mark.parametrize("damage", ["garbage [[[", "meeting = \"divergence\"\nsegment = 5", "meeting = \"divergence\"\nsegment = { a = 5 }", "a = " + "[" * 600 + "]" * 600,
                                    "\xff\xfe not utf-8"])
def test_a_damaged_record_is_refused_and_force_never_lowers_sequence(twice, tmp_path, damage):
    forge(twice, "som-issued.toml", damage.encode("latin-1"))
    refused(som_run("invite", meeting(tmp_path / "in", start="13:00", end="14:00"), "-o", twice), "--force",
            "som-issued.toml")
    result = som_run("invite", meeting(tmp_path / "in", start="13:00", end="14:00"), "-o", twice, "--force")
    assert result.exit_code == 0, result.output
    assert min(min(v) for v in sequences(twice).values()) >= 0
    assert sequences(twice)[str(member_file(twice).relative_to(twice))] == {2}


@pytest.mark.parametrize("forged", ["-1", "true", "1.5", '"7"', "99999999999999999999"])
def test_a_forged_sequence_in_the_record_is_refused(twice, tmp_path, forged):
    record = twice / "som-issued.toml"
    forge(twice, "som-issued.toml",
          re.sub(r"(?m)^sequence = \d+$", f"sequence = {forged}", record.read_text(), count=1).encode())
    refused(som_run("invite", meeting(tmp_path / "in", start="13:00", end="14:00"), "-o", twice), "damaged")
    assert all(n >= 0 for v in sequences(twice).values() for n in v)


@pytest.mark.parametrize("manifest", ['{"files": {"a": {"b": 1}}}', '{"pending": {"a": 5}}',
                                      '{"pending": {"a": "abc"}}', "[" * 5000 + "]" * 5000, '"files"'])
def test_a_damaged_manifest_is_refused(twice, tmp_path, manifest):
    (twice / ".som-files.json").write_text(manifest)
    refused(som_run("invite", meeting(tmp_path / "in"), "-o", twice), ".som-files.json")


def test_a_cancellation_stands_across_a_title_edit(tmp_path):
    out = tmp_path / "out"
    seg = first_segment()
    assert som_run("invite", meeting(tmp_path / "in"), "-o", out).exit_code == 0
    assert som_run("invite", meeting(tmp_path / "in"), "-o", out, "--cancel", seg).exit_code == 0
    assert methods(member_file(out)) == {"CANCEL"}
    result = som_run("invite", meeting(tmp_path / "in", title="Renamed session"), "-o", out)
    assert result.exit_code == 0, result.output
    assert "confirmed" not in result.output
    assert methods(member_file(out)) == {"CANCEL"}
    assert "STATUS:CANCELLED" in member_file(out).read_text()


@pytest.mark.parametrize("change", [{"start": "11:00", "end": "12:00"}, {"date": "2023-10-20"}])
def test_a_new_date_or_time_revives_a_cancelled_segment(tmp_path, change):
    out = tmp_path / "out"
    seg = first_segment()
    assert som_run("invite", meeting(tmp_path / "in"), "-o", out).exit_code == 0
    assert som_run("invite", meeting(tmp_path / "in"), "-o", out, "--cancel", seg).exit_code == 0
    result = som_run("invite", meeting(tmp_path / "in", **change), "-o", out)
    assert result.exit_code == 0, result.output
    assert methods(member_file(out)) == {"REQUEST"}
