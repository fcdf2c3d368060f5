"""`som holidays` as a table, JSON, CSV, Markdown, and an iCalendar file to subscribe to."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Sequence

from agenda.plan.holidays import Listing, Overview
from agenda.render import ics
from agenda.render.output import Report, Table

PRODID = "-//som//holidays//EN"
COLUMNS = ("date", "day", "holiday", "kind", "projected", "source")


def _kind(day) -> str:
    if not day.official:
        return "public holiday"
    return "floating" if day.floating else "official"


def listing_json(listing: Listing) -> dict:
    return {
        "calendar": listing.name, "title": listing.title, "year": listing.year,
        "member": listing.member.id if listing.member else None,
        "notes": listing.notes, "national_note": listing.national_note,
        "holidays": [{"date": d.date.isoformat(), "weekday": f"{d.date:%a}", "name": d.name, "kind": _kind(d),
                      "floating": d.floating, "projected": d.projected,
                      "source": d.source if d.official else "`holidays` package (national public holidays)"}
                     for d in listing.days],
    }


def listing_report(listing: Listing) -> Report:
    rows: list[Sequence[str]] = [
        [d.date.isoformat(), f"{d.date:%a}", d.name, _kind(d), "projected" if d.projected else "",
         (d.source or "") if d.official else "`holidays` package"] for d in listing.days]
    who = f" — {listing.member.acronym}" if listing.member else ""
    name = f" ({listing.name})" if listing.name else ""
    year = f", {listing.year}" if listing.year else ""
    counts = [f"{len(listing.official)} {'official' if listing.name else 'public'} holidays"]
    if listing.floating:
        counts.append(f"{len(listing.floating)} floating (each staff member chooses one)")
    counts.append(f"{len(listing.projected)} projected")
    table = Table(COLUMNS, rows, title=f"{listing.title}{name}{year}{who}: " + ", ".join(counts))
    notes = [n for n in (listing.national_note, listing.notes and "Notes: " + " ".join(listing.notes.split())) if n]
    if listing.projected:
        notes.append("projected: no published list was found for the year; the date follows the duty station's "
                     "rules (given in the source column). Check it against the circular when it is issued.")
    return Report([table], listing_json(listing), notes)


def overview_report(overview: Overview) -> Report:
    rows: list[Sequence[str]] = []
    payload = []
    for calendar, members in overview.rows:
        years = sorted(calendar.years)
        projected = sum(1 for h in calendar.holidays if h.projected)
        rows.append([calendar.name, calendar.title, f"{years[0]}–{years[-1]}", str(len(calendar.holidays)),
                     str(projected), ", ".join(m.acronym for m in members)])
        payload.append({"calendar": calendar.name, "title": calendar.title, "years": years,
                        "dates": len(calendar.holidays), "projected": projected,
                        "floating": sum(1 for h in calendar.holidays if h.floating),
                        "members": [m.id for m in members], "origin": calendar.origin})
    table = Table(("calendar", "title", "years", "dates", "projected", "members"), rows,
                  title=f"{overview.directory.name}: {len(rows)} holiday calendars")
    national = ", ".join(f"{m.acronym} ({m.holidays_name[len('national: '):]})" for m in overview.national)
    notes = [f"National public holidays (`holidays` package): {national}"] if national else []
    return Report([table], {"directory": overview.directory.name, "calendars": payload,
                            "national": [{"member": m.id, "holidays": m.holidays_name} for m in overview.national]},
                  notes)


def listing_ics(listing: Listing, *, stamp: datetime | None = None) -> bytes:
    """One all-day VEVENT per day, transparent (a holiday does not make anyone busy), written by
    the one iCalendar writer. No METHOD: a calendar to subscribe to has no organizer, and
    PUBLISH wants one (RFC 5546). `stamp`: DTSTAMP (agenda.effects.clock.source_date_epoch),
    else 1 January of the first year listed, so a re-run gives the same bytes."""
    first = min((d.date for d in listing.days), default=None)
    stamp = stamp or datetime(first.year if first else 1970, 1, 1, tzinfo=timezone.utc)
    events: list[ics.Todo | ics.DayEvent] = []
    for d in listing.days:
        key = f"{listing.name or listing.title}|{d.date.isoformat()}|{d.name}"
        source = d.source if d.official else "`holidays` package (national public holidays)"
        events.append(ics.DayEvent(
            hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + "@holidays.som", stamp, d.date,
            d.name + (" (floating holiday)" if d.floating else "") + (" (projected)" if d.projected else ""),
            f"{_kind(d).capitalize()} holiday at {d.where}. Source: {source}"))
    name = listing.title + (f" {listing.year}" if listing.year else "")
    return ics.task_calendar_bytes(events, prodid=PRODID, name=name, method=None)
