"""OutputDir.write_many and the faster check(): same guarantees as write(), many files at once."""

import os
import stat

import pytest

from agenda.model.errors import SomError
from agenda.effects.files import MANIFEST, OutputDir


def test_writes_every_file_whole_and_says_which_changed(tmp_path):
    out = OutputDir(tmp_path / "out")
    files = {"a.ics": b"A", "members/x/b.ics": b"B", "members/y/c.ics": b"C"}
    assert out.write_many(files) == list(files)
    out.commit()
    assert {n: (tmp_path / "out" / n).read_bytes() for n in files} == files
    again = OutputDir(tmp_path / "out")
    again.check(files)
    assert again.write_many({**files, "members/x/b.ics": b"B2"}) == ["members/x/b.ics"]
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.endswith(".tmp")]


def test_new_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        OutputDir(tmp_path).write_many({"members/x/a.ics": b"A"})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "members" / "x" / "a.ics").stat().st_mode) == 0o644


@pytest.mark.parametrize("name", ["../escape.ics", "/abs.ics", "a//b.ics", "members/../../x.ics", "c:\\x.ics"])
def test_refuses_names_that_leave_the_folder(tmp_path, name):
    with pytest.raises(SomError, match="refusing to write outside"):
        OutputDir(tmp_path / "out").write_many({name: b"x"})
    assert not (tmp_path / "escape.ics").exists()


def test_a_failure_midway_leaves_old_files_whole_and_no_temporary_files(tmp_path, monkeypatch):
    out = OutputDir(tmp_path)
    out.write_many({"a.ics": b"old a", "b.ics": b"old b"})
    real = os.replace
    calls = []

    def replace(src, dst):
        if str(dst).endswith(MANIFEST):  # the manifest notes what is about to be written
            return real(src, dst)
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", dst)
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SomError, match="No space left on device"):
        out.write_many({"a.ics": b"new a", "b.ics": b"new b"})
    assert (tmp_path / "a.ics").read_bytes() == b"new a"  # renamed before the failure
    assert (tmp_path / "b.ics").read_bytes() == b"old b"  # untouched, never half-written
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != MANIFEST) == ["a.ics", "b.ics"]
    # the next run knows the new a.ics is som's own, though the run that wrote it died
    OutputDir(tmp_path).check(["a.ics", "b.ics"])


def test_check_finds_foreign_files_deep_in_folders_and_files_in_the_way(tmp_path):
    (tmp_path / "members" / "x").mkdir(parents=True)
    (tmp_path / "members" / "x" / "a.ics").write_bytes(b"mine")
    with pytest.raises(SomError, match="som did not write it"):
        OutputDir(tmp_path).check(["feed.ics", "members/y/a.ics", "members/x/a.ics"])
    (tmp_path / "members" / "z").write_bytes(b"a file where a folder goes")
    with pytest.raises(SomError, match="a file stands where som needs a folder|som did not write it"):
        OutputDir(tmp_path).check(["members/z/a.ics"])
    OutputDir(tmp_path).check(["new/deep/a.ics", "members/y/b.ics"])  # nothing there: fine


def test_a_run_with_nothing_changed_hashes_each_file_once_and_writes_nothing(tmp_path, monkeypatch):
    from agenda.effects import files as files_module

    files = {f"members/m{i}/s.ics": f"BEGIN:VCALENDAR {i}".encode() for i in range(20)}
    first = OutputDir(tmp_path)
    first.intend(files)
    first.write_many(files)
    first.commit()
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    calls = []
    real = files_module.sha256
    monkeypatch.setattr(files_module, "sha256", lambda data: calls.append(data) or real(data))
    monkeypatch.setattr(os, "sync", lambda: pytest.fail("nothing to sync"))
    again = OutputDir(tmp_path)
    again.check(files)
    again.intend(files)
    assert again.write_many(files) == []
    again.commit()
    # the bytes to write once, the file on disk once; the manifest not saved again
    assert len(calls) == 2 * len(files)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


def test_a_file_changed_between_runs_is_written_and_recorded(tmp_path):
    OutputDir(tmp_path).write_many({"a.ics": b"A"})
    out = OutputDir(tmp_path, overwrite=True)
    out.check(["a.ics"])
    out.intend({"a.ics": b"A2"})
    assert out.write_many({"a.ics": b"A2"}) == ["a.ics"]
    out.commit()
    assert out.write("a.ics", b"A2") is False  # what check() read is not taken for what is there now
    assert (tmp_path / "a.ics").read_bytes() == b"A2"


from hypothesis import given, strategies as st  # noqa: E402

from agenda.effects.files import manifest_pieces, manifest_text  # noqa: E402

_names = st.text(min_size=1, max_size=12)


@given(st.dictionaries(_names, st.text(max_size=8)), st.dictionaries(_names, st.lists(st.text(max_size=8), max_size=3)))
def test_the_manifest_is_written_as_json_indent_2_would_write_it(files, pending):
    import json

    doc: dict = {"written_by": "som", "files": dict(sorted(files.items()))}
    if pending:
        doc["pending"] = dict(sorted(pending.items()))
    assert manifest_text(files, pending) == json.dumps(doc, indent=2) + "\n"
    # written in pieces of a few entries each, as a manifest of 120,000 files is
    assert "".join(manifest_pieces(files, pending, batch=2)) == json.dumps(doc, indent=2) + "\n"


def test_a_fresh_run_does_not_look_again_at_what_check_saw(tmp_path, monkeypatch):
    """A fresh run of 30,000 files made 140,000 lstat calls: check() looked at each name and
    each folder, then write_many() at each again. Now a folder that is not there is looked at
    once, and nothing in a folder the run made is looked at (check() has refused what must be)."""
    files = {f"members/m{i}/{s}.ics": b"x" for i in range(100) for s in ("a", "b")}
    calls = []
    real = os.lstat
    monkeypatch.setattr(os, "lstat", lambda path, *a, **k: calls.append(path) or real(path, *a, **k))
    out = OutputDir(tmp_path / "out")
    out.check(files)
    out.write_many(files)
    out.commit()
    assert len(calls) < 10, calls[:20]
    assert {n: (tmp_path / "out" / n).read_bytes() for n in files} == files
    # and links are still refused where som would write
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "members" / "link").symlink_to(tmp_path / "elsewhere")
    again = OutputDir(tmp_path / "out")
    with pytest.raises(SomError, match="som writes only inside"):
        again.write_many({"members/link/a.ics": b"x"})
    assert not list((tmp_path / "elsewhere").iterdir())
