"""Shared fixtures: the CLI in an isolated folder, and meeting files written by the test."""

from __future__ import annotations

import os

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from agenda.cli import som

# Hypothesis: a quick profile for every test run, and `make fuzz` (HYPOTHESIS_PROFILE=fuzz)
# for the long run over the text-reading entry points (tests marked `fuzz`).
settings.register_profile("default", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("fuzz", parent=settings.get_profile("default"), max_examples=10_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    config.addinivalue_line("markers", "fuzz: hypothesis fuzzing of an entry point that reads text")


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
