"""A meeting read from prose, written as a meeting file (TOML) that starts with what was guessed."""

from __future__ import annotations

import re
from pathlib import Path

from agenda.model.timeplan import TimeRange
from agenda.read.report import Item, ReadMeeting
from agenda.render.tomltext import toml_string


def _comment(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", " ", text)


def _time_text(rng: TimeRange) -> str:
    end = "24:00" if rng.end_next_day else f"{rng.end:%H:%M}"
    label = f" {rng.label.text}" if rng.label else ""
    return f"{rng.start:%H:%M}-{end}{label}"


def to_toml(meeting: ReadMeeting, source: str, warnings: list[str]) -> str:
    lines = [f"# Read by `som import-report` from {_comment(Path(source).name)}. Check it against the text,",
             "# then run `som schedule` and `som check` on it."]
    if warnings:
        lines.append("# Not read, or read with a guess (also printed on stderr):")
        lines += [f"#   {_comment(w)}" for w in warnings]
    lines += ["", "[meeting]", f"id = {toml_string(meeting.id)}", f"title = {toml_string(meeting.title)}"]
    if meeting.body:
        lines.append(f"body = {toml_string(meeting.body)}")
    lines.append(f"timezone = {toml_string(meeting.zone)}")
    if meeting.online_url:
        lines.append(f"online_url = {toml_string(meeting.online_url)}")
    if meeting.organizer_email:
        name = meeting.organizer_name or meeting.organizer_email
        lines.append(f"organizer = {{ name = {toml_string(name)}, email = {toml_string(meeting.organizer_email)} }}")
    else:
        lines.append('# organizer = { name = "...", email = "...@example.org" }   # not in the text: add it before `som invite`')
    lines.append('# members = "un-entities"   # the default: the bundled directory of UN entities')
    for s in meeting.segments:
        lines += ["", "[[segment]]", f"id = {toml_string(s.id)}", f"title = {toml_string(s.title)}",
                  f"date = {s.day.isoformat()}", f"time = {toml_string(_time_text(s.rng))}"]
        for key in ("location", "online_url", "symbol", "distribution", "chair"):
            value = getattr(s, key)
            if value:
                lines.append(f"{key} = {toml_string(value)}")
        _items(lines, s.items, 1)
    return "\n".join(lines) + "\n"


def _items(lines: list[str], items: list[Item], depth: int) -> None:
    for item in items:
        lines += ["", "[[" + ".".join(["segment"] + ["item"] * depth) + "]]", f"title = {toml_string(item.title)}"]
        if item.minutes:
            lines.append(f"minutes = {item.minutes}")
        if item.documents:
            lines.append("documents = [" + ", ".join(toml_string(d) for d in item.documents) + "]")
        if item.notes:
            lines.append(f"notes = {toml_string(chr(10).join(item.notes))}")
        if depth < 3:
            _items(lines, item.items, depth + 1)
