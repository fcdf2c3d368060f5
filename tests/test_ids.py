"""agenda.model.ids.slug: ids made from text are always ids that load.check_id accepts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.model.ids import slug
from agenda.read.load import check_id


@pytest.mark.parametrize("text, expected", [
    ("Technical Segment", "technical-segment"),
    ("EMG/SOM.29", "emg-som-29"),
    ("  --Überblick 2023--  ", "berblick-2023"),  # letters outside a-z are dropped, not guessed
    ("CON", "meeting-con"),  # a name Windows reserves for a device
    ("lpt1", "meeting-lpt1"),
    ("aux.txt", "aux-txt"),  # reserved only as the whole name or before a dot, and dots become '-'
    ("", "meeting"),
    ("%%%", "meeting"),
    ("x" * 100, "x" * 48),
    ("a" * 47 + " b", "a" * 47),  # cut at 48, then no trailing '-'
])
def test_worked_examples(text, expected):
    assert slug(text, "meeting") == expected


@pytest.mark.fuzz
@given(st.text(), st.sampled_from(["meeting", "segment", "t-0a1b2c3d"]))
def test_always_a_valid_id(text, fallback):
    check_id(slug(text, fallback), "meeting")


def test_import_report_of_a_file_named_con(runner, tmp_path):
    (tmp_path / "con.txt").write_text("Technical Segment: 26 September 2023, 15:00-17:00 CEST\n", encoding="utf-8")
    result = runner("import-report", "con.txt")
    assert result.exit_code == 0, result.stderr
    assert 'id = "meeting-con"' in result.stdout
