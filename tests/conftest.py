"""Shared fixtures: the CLI in an isolated folder, and meeting files written by the test."""

from __future__ import annotations

import os
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from agenda.cli import som
from tests.parsers import ParserUnavailable

# Hypothesis: a quick profile for every test run, and `make fuzz` (HYPOTHESIS_PROFILE=fuzz)
# for the long run over the text-reading entry points (tests marked `fuzz`).
settings.register_profile("default", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("fuzz", parent=settings.get_profile("default"), max_examples=10_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    config.addinivalue_line("markers", "fuzz: hypothesis fuzzing of an entry point that reads text")


# A parser the interop tests need is missing (ical.js, node, libical's gi, vobject, ical): the
# test fails, never skips, with the one line tests/parsers.py writes (which parser, where, what
# to run) instead of a traceback through the harness.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _one_line_for_a_missing_parser():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _one_line_for_a_missing_parser():
        return (yield)


@contextmanager
def _one_line_for_a_missing_parser():
    try:
        yield
    except ParserUnavailable as exc:
        raise pytest.fail.Exception(str(exc), pytrace=False) from None


@pytest.fixture
def runner(tmp_path, monkeypatch):
    """Run `som ...` in an empty folder; returns click's Result (exit_code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    cli = CliRunner()

    def run(*args: str, input: str | None = None):
        return cli.invoke(som, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


@pytest.fixture
def write(tmp_path):
    """Write a file (dedented) under the test's folder and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


MINIMAL_MEETING = """
[meeting]
id = "test-meeting"
title = "Test Meeting"
timezone = "Europe/Zurich"

[[segment]]
id = "one"
title = "Segment One"
date = 2023-09-26
time = "15:00-17:00 CEST"
"""


@pytest.fixture
def meeting_file(write):
    """A minimal valid meeting file, with optional text replaced: meeting_file(old, new, ...)."""

    def _meeting(*replacements: str, extra: str = "", name: str = "meeting.toml") -> Path:
        text = textwrap.dedent(MINIMAL_MEETING)
        pairs = list(zip(replacements[::2], replacements[1::2]))
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new)
        return write(name, text + textwrap.dedent(extra))

    return _meeting


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
def run():
    """Run `som ...` in the current folder, with keyword arguments for CliRunner.invoke."""
    cli = CliRunner()

    def invoke(*args, **kwargs):
        return cli.invoke(som, [str(a) for a in args], catch_exceptions=False, **kwargs)
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
