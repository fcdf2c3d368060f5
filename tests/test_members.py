"""`som members`."""

from __future__ import annotations

import csv
import io
import json


def test_csv_lists_the_53_members(runner):
    result = runner("members", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 53
    unep = rows[0]
    assert (unep["acronym"], unep["city"], unep["timezone"], unep["hours"]) == (
        "UNEP", "Nairobi", "Africa/Nairobi", "09:00-18:00")
    assert all(r["emails"] == "" for r in rows)


def test_json_and_table(runner):
    doc = json.loads(runner("members", "--format", "json").stdout)
    assert doc["directory"] == "un-entities" and len(doc["members"]) == 53
    assert runner("members").stdout.count("Europe/Zurich") == 20


def test_unknown_bundled_directory(runner):
    result = runner("members", "un-entites")
    assert result.exit_code == 2 and "did you mean `un-entities`?" in result.stderr
