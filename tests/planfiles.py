"""Small meeting files and member directories for the check/suggest/import-report tests."""

from __future__ import annotations

import json
from pathlib import Path


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def member(id, zone, country, city, *, subdivision=None, hours=None, workdays=None, acronym=None) -> dict:
    entry = {"id": id, "acronym": acronym or id.upper(), "name": f"{id} entity", "city": city,
             "country": country, "timezone": zone}
    if subdivision:
        entry["subdivision"] = subdivision
    if hours:
        entry["hours"] = hours
    if workdays:
        entry["workdays"] = workdays
    return entry


def write_directory(folder: Path, members: list[dict], name: str = "members.toml") -> Path:
    lines = ['name = "test"']
    for m in members:
        lines.append("\n[[member]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in m.items()]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_meeting(folder: Path, segments: list[dict], *, members: str = "members.toml",
                  tasks: list[dict] = (), zone: str = "Europe/Zurich", name: str = "meeting.toml") -> Path:
    """segments: dicts of segment keys, with an optional "items" list of item dicts (which may
    have their own "items")."""
    lines = ["[meeting]", 'id = "test-meeting"', 'title = "Test meeting"', f"timezone = {toml_value(zone)}",
             f"members = {toml_value(members)}"]

    def items(entries, depth):
        for item in entries:
            lines.append("\n[[" + ".".join(["segment"] + ["item"] * depth) + "]]")
            lines.extend(f"{k} = {toml_value(v)}" for k, v in item.items() if k != "items")
            items(item.get("items", ()), depth + 1)

    for segment in segments:
        lines.append("\n[[segment]]")
        lines.extend(f"{k} = {v if k == 'date' else toml_value(v)}" for k, v in segment.items() if k != "items")
        items(segment.get("items", ()), 1)
    for task in tasks:
        lines.append("\n[[task]]")
        lines.extend(f"{k} = {v if k == 'due' and str(v)[:1].isdigit() else toml_value(v)}" for k, v in task.items())
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
