"""One instant in many zones, as a table or JSON."""

from __future__ import annotations

from datetime import datetime

from agenda.model.timeplan import UTC, abbreviation, format_day_offset, format_offset, zone_label
from agenda.plan.convert import Conversion
from agenda.render.output import Report, Table


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes")


def _in_order(c: Conversion):
    """The target zones as shown: by UTC offset at the instant, then name."""
    return sorted(c.targets, key=lambda t: (c.when.instant.astimezone(t[0]).utcoffset(), t[0].key))


def _from_abbreviation(c: Conversion) -> str:
    if c.from_zone:
        return abbreviation(c.source_local)
    assert c.when.label is not None  # read in no zone: written with an offset (Conversion.source_local)
    return c.when.label.text


def conversion_json(c: Conversion) -> dict:
    src = c.source_local
    times = []
    for zone, members in _in_order(c):
        local = c.when.instant.astimezone(zone)
        times.append({"zone": zone.key, "local": _iso(local), "abbreviation": abbreviation(local),
                      "day_offset": (local.date() - src.date()).days, "members": [m.id for m in members]})
    return {
        "input": c.text,
        "utc": c.when.instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "from": {"zone": c.from_zone.key if c.from_zone else format_offset(src.utcoffset()),
                 "local": _iso(src), "abbreviation": _from_abbreviation(c)},
        "times": times,
    }


def conversion_report(c: Conversion) -> Report:
    src = c.source_local
    rows = []
    for zone, members in _in_order(c):
        local = c.when.instant.astimezone(zone)
        day = (local.date() - src.date()).days
        who = ", ".join(m.acronym for m in members)
        rows.append([zone.key, zone_label(zone, members[0].city if members else None), f"{local:%a %d %b %Y %H:%M}",
                     abbreviation(local), format_offset(local.utcoffset()), format_day_offset(day), who])
    title = (f"{c.text}  =  {src:%a %d %b %Y %H:%M} {_from_abbreviation(c)}"
             f"  =  {c.when.instant.astimezone(UTC):%H:%M} UTC")
    table = Table(("Zone", "City", "Local time", "Abbr.", "UTC offset", "Day", "Members"), rows, title=title)
    return Report([table], conversion_json(c))
