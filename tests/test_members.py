"""`som members`."""

from __future__ import annotations

import csv
import io
import json

from tests import som29


def test_csv_lists_every_member_of_the_directory(runner):
    result = runner("members", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(som29.MEMBERS)
    unep = rows[0]
    assert (unep["acronym"], unep["city"], unep["timezone"], unep["hours"]) == (
        "UNEP", "Nairobi", "Africa/Nairobi", "09:00-18:00")
    assert all(r["emails"] == "" for r in rows)


def test_json_and_table(runner):
    doc = json.loads(runner("members", "--format", "json").stdout)
    assert doc["directory"] == "un-entities" and len(doc["members"]) == len(som29.MEMBERS)
    assert runner("members").stdout.count("Europe/Zurich") == som29.members_in("Europe/Zurich")


def test_unknown_bundled_directory(runner):
    result = runner("members", "un-entites")
    assert result.exit_code == 2 and "did you mean `un-entities`?" in result.stderr
