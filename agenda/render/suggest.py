"""Ranked start times as a table or JSON."""

from __future__ import annotations

from datetime import datetime, timedelta

from agenda.model.holidays import KEPT_FREE_SHORT
from agenda.model.timeplan import UTC, abbreviation
from agenda.plan.suggest import Outside, Suggestion


def local_text(o: Outside) -> str:
    a, b = abbreviation(o.start), abbreviation(o.end)
    span = f"{o.start:%a %H:%M}–{o.end:%H:%M} {a}" if a == b else f"{o.start:%a %H:%M} {a}–{o.end:%H:%M} {b}"
    return span


def local_texts(outside: tuple[Outside, ...]) -> list[str]:
    """local_text of each; members of one kind share their local times (plan.suggest._outside),
    which are worded once."""
    texts: dict[tuple[int, int], str] = {}
    out = []
    for o in outside:
        key = (id(o.start), id(o.end))
        text = texts.get(key)
        if text is None:
            text = texts[key] = local_text(o)
        out.append(text)
    return out


def outside_by_city(outside: tuple[Outside, ...]) -> str:
    """`Tokyo Tue 23:00–01:00 JST (UNU and ESCAP; night); New York ...`: members who share a
    city, local time and reason in one group, the easternmost first, as `som check` words them;
    one cell of ten thousand acronyms one by one could not be read."""
    groups: dict[tuple, list[str]] = {}
    offsets: dict[int, timedelta | None] = {}  # by local start, shared as the texts are
    for o, text in zip(outside, local_texts(outside)):
        why = o.holiday or (o.reason if o.reason != "hours" else "")
        if id(o.start) not in offsets:
            offsets[id(o.start)] = o.start.utcoffset()
        groups.setdefault((offsets[id(o.start)], o.member.city, text, why), []).append(o.member.acronym)
    parts = []
    for (_, city, span, why), names in sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1], kv[0][2])):
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{city} {span} ({listed}{'; ' + why if why else ''})")
    return "; ".join(parts)


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes")


def suggestion_json(s: Suggestion) -> dict:
    return {
        "meeting": s.meeting.id,
        "timezone": s.meeting.zone_name,
        "between": [s.request.first.isoformat(), s.request.last.isoformat()],
        "duration_minutes": int(s.request.duration.total_seconds() // 60),
        "step_minutes": int(s.request.step.total_seconds() // 60),
        "members": len(s.members),
        "candidates": s.candidates,
        "slots": [{
            "rank": slot.rank,
            "start_utc": slot.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
            "start": _iso(slot.start),
            "end": _iso(slot.end),
            "inside": slot.inside,
            "outside": [{"member": o.member.id, "local": text, "reason": o.reason}
                        for o, text in zip(slot.outside, local_texts(slot.outside))],
            "holidays": [{"member": o.member.id, "date": o.start.date().isoformat(), "name": o.holiday}
                         for o in slot.holidays],
            "night": slot.night,
            "worst_minutes": slot.worst_minutes,
            "geneva_slot": slot.geneva_slot,
            "score": slot.score,
        } for slot in s.slots],
        "left_out": [{"date": d.date.isoformat(), "reason": d.reason, "holiday": d.holiday} for d in s.left_out],
    }


def left_out_lines(s: Suggestion) -> list[str]:
    """One footer line for the weekends, one for each day kept free of meetings."""
    weekends = [d.date for d in s.left_out if d.reason == "weekend"]
    home = s.meeting.city or s.meeting.zone_name
    lines = []
    if len(weekends) > 4:
        lines.append(f"left out: {len(weekends)} weekend days (Saturdays and Sundays) in {home}")
    elif weekends:
        names = [f"{d:%a %d %b %Y}" for d in weekends]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        lines.append(f"left out: {joined}, a weekend in {home}")
    for d in s.left_out:
        if d.reason == "kept free of meetings":
            lines.append(f"left out: {d.date:%a %d %b %Y}, {KEPT_FREE_SHORT} ({d.holiday}, resolution 69/250)")
        elif d.reason == "possibly kept free of meetings":
            lines.append(f"left out: {d.date:%a %d %b %Y}, possibly {KEPT_FREE_SHORT} ({d.holiday} if the "
                         f"UN observes it the day after the expected date, resolution 69/250)")
    return lines


def suggestion_report(s: Suggestion):
    from agenda.render.output import Report, Table

    home = s.meeting.city
    rows = []
    for slot in s.slots:
        outside = outside_by_city(slot.outside)
        a = abbreviation(slot.start)
        rows.append([str(slot.rank), f"{slot.start:%a %d %b %Y %H:%M}–{slot.end:%H:%M} {a}",
                     f"{slot.start.astimezone(UTC):%H:%M}Z", f"{slot.inside}/{slot.total}",
                     "yes" if slot.geneva_slot else "", outside or "—"])
    minutes = int(s.request.duration.total_seconds() // 60)
    table = Table(("#", f"Start ({home})", "UTC", "Inside hours", "Geneva slot", "Outside (local time)"), rows,
                  title=f"som suggest: {minutes} min between {s.request.first} and {s.request.last}, "
                        f"{len(s.members)} members",
                  footer=[f"{s.candidates} start times ranked: fewest at night, most inside working hours, "
                          f"earliest/latest local hour, UN Geneva slots, then earliest."] + left_out_lines(s))
    return Report([table], suggestion_json(s))


def suggestion_svg(s: Suggestion) -> str:
    """The ranked candidates as 24-hour bands (agenda.render.bands), best first, in one SVG file."""
    from agenda.render import bands

    meeting = s.meeting
    spans = [(bands.Span(f"s{slot.rank}", f"#{slot.rank}: {slot.inside} of {slot.total} members inside working hours"
                         + (", in a UN Geneva slot" if slot.geneva_slot else ""), slot.start, slot.end),
              bands.cities(s.members, meeting.zone, meeting.city, slot.start)) for slot in s.slots]
    minutes = int(s.request.duration.total_seconds() // 60)
    return bands.bands_svg(spans, home_city=meeting.city, standalone=True,
                           title=f"som suggest: the best {len(s.slots)} start times for {minutes} min between "
                                 f"{s.request.first} and {s.request.last}")
