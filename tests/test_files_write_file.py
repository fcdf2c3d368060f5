"""files.write_file: one `-o FILE`, never over a file som did not write."""

import json

import pytest

from agenda.model.errors import OverwriteRefused, SomError
from agenda.effects.files import MANIFEST, write_file


def test_a_new_file_is_written_and_recorded(tmp_path):
    target = tmp_path / "agenda.md"
    write_file(target, b"one")
    assert target.read_bytes() == b"one"
    assert "agenda.md" in json.loads((tmp_path / MANIFEST).read_text())["files"]


def test_a_file_som_wrote_is_replaced(tmp_path):
    target = tmp_path / "agenda.md"
    write_file(target, b"one")
    write_file(target, b"two")
    assert target.read_bytes() == b"two"


def test_a_file_som_did_not_write_is_refused_unless_forced(tmp_path):
    target = tmp_path / "notes.md"
    target.write_bytes(b"mine")
    with pytest.raises(SomError, match="exists and som did not write it") as info:
        write_file(target, b"som's")
    assert isinstance(info.value, OverwriteRefused) and info.value.reason == "not written by som"
    assert info.value.named_file and info.value.hint == "choose another file name, or overwrite it"
    assert target.read_bytes() == b"mine"
    write_file(target, b"som's", overwrite=True)
    assert target.read_bytes() == b"som's"
    write_file(target, b"again")  # recorded by the forced write: som's own now
    assert target.read_bytes() == b"again"


def test_a_file_edited_since_som_wrote_it_is_refused(tmp_path):
    target = tmp_path / "prep.ics"
    write_file(target, b"som's")
    target.write_bytes(b"edited by hand")
    with pytest.raises(SomError, match="was changed since som wrote it"):
        write_file(target, b"new")
    assert target.read_bytes() == b"edited by hand"
