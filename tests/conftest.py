import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from agenda.cli import som

# A meeting of our own whose dates land template tasks on a weekend and on Geneva holidays.
# Members come from the bundled directory, so the home city Geneva gives the CH-GE calendar.
PREP_MEETING = """\
[meeting]
id = "test-prep"
title = "Test <Meeting> & Co"
body = "United Nations Environment Management Group"
timezone = "Europe/Zurich"
members = "un-entities"
location = "Palais des Nations, Room XII"
online_url = "https://example.org/join?a=1&b=2"
organizer = { name = "EMG Secretariat", email = "emg.secretariat@example.org" }

[[segment]]
id = "autumn"
title = "Autumn Segment"
date = 2023-10-19
time = "10:00-12:00 CEST"
symbol = "EMG/TEST/1"
distribution = "EMG Members"
chair = "The Chair"

[[segment.item]]
title = "Opening"
minutes = 10

[[segment.item]]
title = "Biodiversity"
lead = "UNEP"
minutes = 60
documents = ["EMG/TEST/1/2", "EMG/TEST/1/3"]
notes = "UNEP reports on the IMG."

[[segment.item.item]]
title = "Post-2020 framework"
lead = "UNDP"
minutes = 30

[[segment.item.item]]
title = "Business & biodiversity"
lead = "ILO"
minutes = 40

[[segment.item]]
title = "Any other business"
minutes = 60

[[segment]]
id = "monday"
title = "Monday Segment"
date = 2023-10-16
time = "15:00-16:00 CEST"

[[segment]]
id = "spring"
title = "Spring Segment"
date = 2023-04-17
time = "15:00-16:00 CEST"

[[task]]
title = "Brief the chair"
segment = "autumn"
due = "-3 days"
owner = "Secretariat"

[[task]]
title = "Book interpreters"
due = 2023-08-12
owner = "Conference services"

[[task]]
title = "send reminders"
segment = "autumn"
due = "2 days before"
owner = "Chair's office"
done = true
"""


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def run(runner):
    def invoke(*args, **kwargs):
        return runner.invoke(som, [str(a) for a in args], catch_exceptions=False, **kwargs)
    return invoke


@pytest.fixture
def prep_file(tmp_path) -> Path:
    path = tmp_path / "prep.toml"
    path.write_text(PREP_MEETING, encoding="utf-8")
    return path


def write_meeting(tmp_path: Path, text: str, name: str = "meeting.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_source_date_epoch(monkeypatch):
    # A reproducible-build environment would change every stamp; tests set it where they mean to.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
