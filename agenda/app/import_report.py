"""A report or notice in prose → a meeting file: read it, write it as TOML, and load that back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agenda.model.errors import SomError
from agenda.read.load import load_meeting, read_text_file
from agenda.read.report import ReadMeeting, read_report
from agenda.render.meeting_file import to_toml


@dataclass(frozen=True)
class ImportResult:
    meeting: ReadMeeting
    toml: str  # the meeting file
    warnings: tuple[str, ...]


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


def import_report(text: str, *, name: str = "report", zone: str | None = None) -> ImportResult:
    """The meeting a report or notice describes, as meeting-file TOML, and what was not read."""
    read = read_report(text, name=name, zone=zone)
    toml = to_toml(read.meeting, name, list(read.warnings))
    _self_check(toml)
    return ImportResult(read.meeting, toml, read.warnings)


def import_report_file(path: Path, *, zone: str | None = None) -> ImportResult:
    return import_report(read_text_file(path, what="report or notice"), name=str(path), zone=zone)
