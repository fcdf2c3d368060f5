"""A report or notice in prose → a meeting file: read it, write it as TOML, and load that back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from agenda.model.errors import SomError
from agenda.read.load import load_meeting, read_text_file
from agenda.read.report import ReadMeeting, read_report
from agenda.render.meeting_file import to_toml


@dataclass(frozen=True)
class ImportResult:
    meeting: ReadMeeting
    toml: str  # the meeting file
    warnings: tuple[str, ...]  # each as `say` put it (in the file's comments too)


def _self_check(toml: str) -> None:
    """What import-report writes must load: a failure here is a bug in som, not in the text."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "imported.toml"
        path.write_text(toml, encoding="utf-8")
        try:
            load_meeting(path)
        except SomError as exc:
            raise RuntimeError(f"import-report wrote a meeting file that does not load: {exc}") from None


def import_report(text: str, *, name: str = "report", zone: str | None = None,
                  say: Callable[[SomError], str] = str) -> ImportResult:
    """The meeting a report or notice describes, as meeting-file TOML, and what was not read.

    `say` words each warning (a SomError, listed, not raised); the library's own words by default.
    """
    read = read_report(text, name=name, zone=zone)
    warnings = tuple(say(w) for w in read.warnings)
    toml = to_toml(read.meeting, name, list(warnings))
    _self_check(toml)
    return ImportResult(read.meeting, toml, warnings)


def import_report_file(path: Path, *, zone: str | None = None,
                       say: Callable[[SomError], str] = str) -> ImportResult:
    return import_report(read_text_file(path, what="report or notice"), name=str(path), zone=zone, say=say)
