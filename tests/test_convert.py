"""`som convert`: one instant to many zones, against GNU date."""

from __future__ import annotations

import json

import pytest

from tests import oracle


def convert(runner, *args):
    result = runner("convert", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("when", [
    "2023-09-26 15:00", "2023-09-26T15:00+02:00", "26 September 2023 15:00 CEST",
    "26th September 2023, 15:00 CEST", "2023-09-26T13:00Z",
])
def test_forms_from_the_issue(runner, when):
    doc = convert(runner, when, "--to", "America/New_York", "--to", "Asia/Tokyo")
    assert doc["utc"] == oracle.utc_of_local("2023-09-26 15:00", "Europe/Zurich").strftime("%Y-%m-%dT%H:%MZ")
    times = {t["zone"]: t for t in doc["times"]}
    assert times["America/New_York"]["local"] == "2023-09-26T09:00-04:00"
    assert times["Asia/Tokyo"]["local"] == "2023-09-26T22:00+09:00"


def test_3pm_form(runner):
    doc = convert(runner, "16 May 2023 3pm CEST", "--to", "Pacific/Auckland")
    # 13:00Z on 16 May = 01:00 NZST (UTC+12) on 17 May.
    assert doc["times"] == [{"zone": "Pacific/Auckland", "local": "2023-05-17T01:00+12:00",
                             "abbreviation": "NZST", "day_offset": 1, "members": []}]
    assert doc["from"] == {"zone": "Europe/Zurich", "local": "2023-05-16T15:00+02:00", "abbreviation": "CEST"}


@pytest.mark.parametrize("when, zone", [
    ("2023-10-31 15:00", "America/New_York"), ("2024-03-12 15:00", "America/New_York"),
    ("2023-09-26 15:00", "Asia/Kathmandu"), ("2023-09-26 15:00", "Pacific/Chatham"),
    ("2023-09-26 15:00", "America/St_Johns"), ("2023-09-26 15:00", "America/Santiago"),
])
def test_against_gnu_date(runner, when, zone):
    doc = convert(runner, when, "--to", zone)
    utc = oracle.utc_of_local(when, "Europe/Zurich")
    wall, _, offset = oracle.local_of_utc(utc, zone)
    assert doc["times"][0]["local"][:16] == wall.strftime("%Y-%m-%dT%H:%M")


def test_from_zone_and_members(runner):
    doc = convert(runner, "2024-03-12 09:00", "--from", "America/New_York", "--members")
    assert doc["utc"] == "2024-03-12T13:00Z"  # EDT since 10 March 2024
    zurich = next(t for t in doc["times"] if t["zone"] == "Europe/Zurich")
    assert zurich["local"] == "2024-03-12T14:00+01:00"  # still CET: the divergence week
    assert "ilo" in zurich["members"]


def test_wrong_label_is_an_error(runner):
    result = runner("convert", "16 November 2023 15:00 CEST")
    assert result.exit_code == 2
    assert "Geneva is on CET" in result.stderr and "14:00 CET" in result.stderr


def test_unknown_from_zone(runner):
    result = runner("convert", "2023-09-26 15:00", "--from", "Europe/Geneva")
    assert result.exit_code == 2 and "`Europe/Zurich`" in result.stderr
