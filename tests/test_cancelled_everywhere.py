"""A cancelled segment, by `som invite --cancel` or `status = "cancelled"`, is marked cancelled in
every output of `som build`, `som schedule`, `som agenda` and `som check`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from agenda.cli import som
from tests.test_dst_interop import DIRECTORY

MEETING = """[meeting]
id = "som30"
title = "SOM30"
timezone = "Europe/Zurich"
city = "Geneva"
members = "offices.toml"
organizer = { name = "EMG Secretariat", email = "emg.secretariat@example.org" }

[[segment]]
id = "technical"
title = "Technical Segment"
date = 2025-09-23
time = "15:00-17:00"

[[segment.item]]
title = "Opening"
minutes = 30

[[segment]]
id = "senior"
title = "Senior Segment"
date = 2025-10-04
time = "15:00-16:30"
STATUS

[[segment.item]]
title = "Adoption of the report"
lead = "NYC"
minutes = 200
"""


def meeting(folder: Path, status: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "offices.toml").write_text(DIRECTORY, encoding="utf-8")
    path = folder / "som30.toml"
    path.write_text(MEETING.replace("STATUS", status), encoding="utf-8")
    return path


def som_ok(*args, epoch: int = 1735732800):
    result = CliRunner().invoke(som, [str(a) for a in args], env={"SOURCE_DATE_EPOCH": str(epoch)},
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output  # som check exits 1 on an error finding
    return result


def assert_pack_shows_senior_cancelled(pack: Path) -> None:
    index = (pack / "index.md").read_text(encoding="utf-8")
    assert "invitation to Senior Segment" not in index
    assert "[invitations/som30-senior.ics](invitations/som30-senior.ics) | cancellation of Senior Segment" in index
    assert "invitation to Technical Segment (import)" in index
    checklist = (pack / "checklist.md").read_text(encoding="utf-8")
    senior_lines = [line for line in checklist.splitlines() if "senior" in line.lower()]
    # the preparation tasks (input from NYC on the adoption, speakers, reminders, the report) are
    # gone; what stays is releasing the services booked for it
    assert "Request input from NYC" not in checklist and "Adoption" not in checklist
    assert len(senior_lines) == 1 and "Cancel the paid services booked for Senior Segment" in senior_lines[0]
    assert "Confirm speakers" in checklist  # the technical segment's tasks stay
    for name in ("checklist.ics", "checklist-events.ics"):
        text = (pack / name).read_text(encoding="utf-8").replace("\r\n ", "")
        assert text.count("RELATED-TO:senior.som30@som") == 1
    schedule = json.loads((pack / "schedule.json").read_text(encoding="utf-8"))
    assert {s["id"]: s["status"] for s in schedule["segments"]} == {"technical": "confirmed", "senior": "cancelled"}
    assert "### CANCELLED: Senior Segment" in (pack / "schedule.md").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO((pack / "schedule.csv").read_text(encoding="utf-8"))))
    senior_rows = [r for r in rows if r and r[0] == "senior"]
    assert senior_rows and {r[-1] for r in senior_rows} == {"cancelled"}
    assert "cancelled" not in {r[-1] for r in rows if r and r[0] == "technical"}
    page = (pack / "index.html").read_text(encoding="utf-8")  # the meeting page
    assert '<section class="segment cancelled" id="senior"' in page
    senior = page[page.index('id="senior"'):]
    senior = senior[:senior.index("</section>")]
    # its file is now the cancellation: importing it takes the event out of a calendar
    assert 'class="ics" href="invitations/som30-senior.ics"' in senior and 'class="google"' not in senior
    assert '<section class="segment" id="technical"' in page
    agenda = (pack / "agenda" / "senior.md").read_text(encoding="utf-8")
    assert "Cancelled: this segment will not be held." in agenda
    assert "overruns" not in agenda  # 200 minutes in 90, but nobody will sit through it


def test_a_cancellation_issued_by_som_invite_reaches_every_file_of_the_next_build(tmp_path):
    path = meeting(tmp_path / "in")
    pack = tmp_path / "pack"
    som_ok("build", path, "-o", pack)
    index = (pack / "index.md").read_text(encoding="utf-8")
    assert "invitation to Senior Segment (import)" in index  # before: an invitation
    assert "Request input from NYC" in (pack / "checklist.md").read_text(encoding="utf-8")
    som_ok("invite", path, "-o", pack / "invitations", "--cancel", "senior", epoch=1735732900)
    result = som_ok("build", path, "-o", pack, epoch=1735733000)
    assert "senior: unchanged, still cancelled, SEQUENCE 1" in " ".join(result.output.split())
    assert_pack_shows_senior_cancelled(pack)


def test_status_cancelled_in_the_meeting_file_reaches_every_file_and_command(tmp_path):
    path = meeting(tmp_path / "in", 'status = "cancelled"')
    pack = tmp_path / "pack"
    som_ok("build", path, "-o", pack)
    # never issued, cancelled: no file, one line in the index instead of a cancellation
    assert not (pack / "invitations" / "som30-senior.ics").exists()
    index = (pack / "index.md").read_text(encoding="utf-8")
    assert "no file for Senior Segment: cancelled before it was ever issued" in index
    assert "Senior Segment (import)" not in index
    schedule = json.loads(som_ok("schedule", path, "--format", "json").stdout)
    assert {s["id"]: s["status"] for s in schedule["segments"]} == {"technical": "confirmed", "senior": "cancelled"}
    table = som_ok("schedule", path, "--format", "md").stdout
    assert "### CANCELLED: Senior Segment" in table
    assert "Cancelled: this segment will not be held." in som_ok("agenda", path, "--segment", "senior", "--format", "md").stdout
    check = json.loads(som_ok("check", path, "--today", "2025-01-01", "--format", "json").stdout)
    senior = [f for f in check["findings"] if f["segment"] == "senior"]
    # named once as cancelled; not judged: 22:00 in Tokyo, a Saturday, 200 minutes in 90
    assert [(f["severity"], f["code"]) for f in senior] == [("info", "cancelled")], senior
    assert "is cancelled" in senior[0]["message"]
