"""The member directory as a table and as JSON."""

from __future__ import annotations

from agenda.model.meeting import Directory, Member
from agenda.render.output import Report, Table

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COLUMNS = ("id", "acronym", "name", "city", "country", "subdivision", "timezone", "holidays", "hours", "workdays",
           "emails")


def member_json(m: Member) -> dict:
    return {"id": m.id, "acronym": m.acronym, "name": m.name, "city": m.city, "country": m.country,
            "subdivision": m.subdivision, "timezone": m.zone_name, "emails": list(m.emails),
            "holidays": m.holidays_name,  # the duty station's calendar, or "national: CH-GE"
            "hours": f"{m.hours[0]:%H:%M}-{m.hours[1]:%H:%M}",
            "workdays": [WEEKDAYS[d] for d in sorted(m.workdays)]}


def members_report(directory: Directory) -> Report:
    rows = []
    for m in directory.members:
        j = member_json(m)
        rows.append([j["id"], j["acronym"], j["name"], j["city"], j["country"], j["subdivision"] or "",
                     j["timezone"], j["holidays"], j["hours"], " ".join(j["workdays"]), " ".join(j["emails"])])
    table = Table(COLUMNS, rows, title=f"{directory.name}: {len(rows)} members")
    return Report([table], members_json(directory))


def members_json(directory: Directory) -> dict:
    return {"directory": directory.name, "members": [member_json(m) for m in directory.members]}
