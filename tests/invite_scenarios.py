"""Meetings for the invitation tests, written as data so that the expected instants come from
the same wall times the meeting file says, through GNU date (tests/oracle.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tests import oracle

ORGANIZER = ("EMG Secretariat", "emg.secretariat@example.org")

# id, acronym, name, city, country, zone, emails
OFFICES = [
    ("geneva", "GVA", "Bureau de Genève", "Geneva", "CH", "Europe/Zurich", ["geneve@example.org"]),
    ("newyork", "NYC", "New York Office", "New York", "US", "America/New_York",
     ["focal.ny@example.org", "deputy.ny@example.org"]),
    ("stjohns", "YYT", "St. John's Office", "St. John's", "CA", "America/St_Johns", ["yyt@example.org"]),
    ("santiago", "SCL", "Oficina de Santiago", "Santiago", "CL", "America/Santiago", ["scl@example.org"]),
    ("kathmandu", "KTM", "Kathmandu Office", "Kathmandu", "NP", "Asia/Kathmandu", ["ktm@example.org"]),
    ("tokyo", "TYO", "東京事務所", "Tokyo", "JP", "Asia/Tokyo", ["tyo@example.org"]),
    ("sydney", "SYD", "Sydney Office", "Sydney", "AU", "Australia/Sydney", ["syd@example.org"]),
    ("auckland", "AKL", "Auckland Office", "Auckland", "NZ", "Pacific/Auckland", ["akl@example.org"]),
    ("chatham", "CHT", "Chatham Islands Office", "Waitangi", "NZ", "Pacific/Chatham", ["cht@example.org"]),
    ("nomail", "NOM", "Office without address", "Nairobi", "KE", "Africa/Nairobi", []),
]


@dataclass(frozen=True)
class Seg:
    id: str
    title: str
    date: str  # home-zone date
    start: str  # home-zone wall times
    end: str
    status: str = "confirmed"
    notes: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str  # the meeting id too
    zone: str
    segments: tuple[Seg, ...]
    title: str = "Inter-agency Senior Officials Meeting"
    city: str | None = None
    online_url: str | None = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=x"
    location: str | None = "MS Teams"
    offices: tuple = field(default_factory=lambda: tuple(OFFICES))

    def expected(self) -> dict[str, tuple]:
        """UID → (start, end) in UTC per GNU date, from the wall times written in the file."""
        pairs = [(f"{s.date} {s.start}", self.zone) for s in self.segments]
        pairs += [(f"{s.date} {s.end}", self.zone) for s in self.segments]
        utc = oracle.utc_of_local_many(pairs)
        n = len(self.segments)
        return {f"{s.id}.{self.name}@som": (utc[i], utc[n + i]) for i, s in enumerate(self.segments)}

    def write(self, folder: Path, segments: tuple[Seg, ...] | None = None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        q = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731 - a JSON string is a TOML string
        members = ['name = "offices"', ""]
        for oid, acronym, name, city, country, zone, emails in self.offices:
            members += ["[[member]]", f"id = {q(oid)}", f"acronym = {q(acronym)}", f"name = {q(name)}",
                        f"city = {q(city)}", f"country = {q(country)}", f"timezone = {q(zone)}",
                        f"emails = {q(emails)}", ""]
        (folder / "offices.toml").write_text("\n".join(members), encoding="utf-8")
        lines = ["[meeting]", f"id = {q(self.name)}", f"title = {q(self.title)}", f"timezone = {q(self.zone)}",
                 'members = "offices.toml"',
                 f"organizer = {{ name = {q(ORGANIZER[0])}, email = {q(ORGANIZER[1])} }}"]
        if self.city:
            lines.append(f"city = {q(self.city)}")
        if self.location:
            lines.append(f"location = {q(self.location)}")
        if self.online_url:
            lines.append(f"online_url = {q(self.online_url)}")
        for s in segments or self.segments:
            lines += ["", "[[segment]]", f"id = {q(s.id)}", f"title = {q(s.title)}", f"date = {s.date}",
                      f"start = {q(s.start)}", f"end = {q(s.end)}", f"status = {q(s.status)}"]
            if s.notes:
                lines.append(f"notes = {q(s.notes)}")
            lines += ["", "[[segment.item]]", 'title = "Opening"', "", "[[segment.item]]",
                      'title = "Progress report"', 'documents = ["DOC/01"]', "minutes = 45"]
        path = folder / "meeting.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


LONG_NOTES = ("Paragraphe long — « accents », virgules, points-virgules; barres obliques inverses \\ et "
              "caractères chinois 环境管理小组。 ") * 40

SCENARIOS = [
    # +05:45, no DST; events in two years in one feed
    Scenario("kathmandu", "Asia/Kathmandu", (
        Seg("march", "March session", "2024-03-10", "09:00", "10:30"),
        Seg("yearend", "Year-end session", "2024-12-30", "14:00", "15:00"),
        Seg("january", "January session", "2025-01-06", "10:00", "11:00"))),
    # +12:45/+13:45; the day DST ends (2024-04-07, 03:45 → 02:45) and across two years
    Scenario("chatham", "Pacific/Chatham", (
        Seg("spring", "Spring session", "2023-09-26", "15:00", "17:00"),
        Seg("summer", "Summer session", "2024-01-15", "10:00", "11:00"),
        Seg("dstend", "Session on the DST end day", "2024-04-07", "01:00", "02:00"),
        Seg("winter", "Winter session", "2024-06-03", "10:00", "11:00"))),
    # southern hemisphere: Santiago (summer in January), Sydney (DST across the new year)
    Scenario("santiago", "America/Santiago", (
        Seg("summer", "Summer session", "2024-01-15", "10:00", "11:30"),
        Seg("winter", "Winter session", "2024-07-15", "10:00", "11:30"),
        Seg("spring", "Spring session", "2024-10-15", "10:00", "11:30"))),
    Scenario("sydney", "Australia/Sydney", (
        Seg("december", "December session", "2023-12-20", "16:00", "17:00"),
        Seg("dstend", "Session on the DST end day", "2024-04-07", "10:00", "11:00"),
        Seg("june", "June session", "2024-06-03", "10:00", "11:00"),
        Seg("dststart", "Session on the DST start day", "2024-10-06", "10:00", "11:00"))),
    # −02:30 (NDT) / −03:30; the EU/US divergence weeks seen from Newfoundland
    Scenario("stjohns", "America/St_Johns", (
        Seg("divergence-autumn", "Autumn divergence week", "2023-10-31", "10:00", "11:30"),
        Seg("changeday", "Session on the change day", "2023-11-05", "12:00", "13:00"),
        Seg("divergence-spring", "Spring divergence week", "2024-03-12", "10:00", "11:30"))),
    # Geneva home in the weeks when Europe and North America are 5 h apart instead of 6
    Scenario("divergence", "Europe/Zurich", (
        Seg("autumn", "Technical Segment", "2023-10-31", "15:00", "17:00"),
        Seg("spring", "Senior Segment", "2024-03-12", "15:00", "17:00"),
        Seg("usual", "Closing Segment", "2024-04-16", "15:00", "16:30")), city="Geneva"),
    # a home zone other than Geneva
    Scenario("newyork", "America/New_York", (
        Seg("autumn", "Autumn session", "2023-11-02", "09:00", "11:00"),
        Seg("spring", "Spring session", "2024-03-12", "09:00", "11:00"))),
    # titles with , ; \ newline, accents and CJK; a long description
    Scenario("text", "Europe/Zurich", (
        Seg("special", "Segment spécial, «Umwelt»; back\\slash\nzweite Zeile — 环境管理小组 会议",
            "2023-09-26", "15:00", "17:00", notes=LONG_NOTES),
        Seg("plain", "Plain segment", "2023-10-10", "14:00", "15:30")),
        title="Réunion, «spéciale»; des hauts fonctionnaires \\ 高级官员会议", city="Geneva"),
    # a zone that changed its rules (Mexico City dropped DST in 2022): one event in UTC
    Scenario("mexico", "America/Mexico_City", (
        Seg("before", "Session under the old rules", "2022-06-01", "10:00", "11:00"),
        Seg("after", "Session under the new rules", "2023-06-01", "10:00", "11:00")),
        online_url=None),
    # +00:00 in winter (GMT) and +01:00 in summer (BST): vobject, made to use the file's own
    # VTIMEZONE, gave no time at all for a +00:00 observance
    Scenario("london", "Europe/London", (
        Seg("winter", "Winter session", "2023-12-05", "14:00", "16:00"),
        Seg("summer", "Summer session", "2024-06-11", "14:00", "16:00"),
        Seg("changeday", "Session on the change day", "2024-10-27", "10:00", "11:00"),
        Seg("divergence", "Spring divergence week", "2024-03-12", "14:00", "15:30")), city="London"),
    # Dublin: the same offsets, but IANA calls summer (IST) standard time and winter a negative DST
    Scenario("dublin", "Europe/Dublin", (
        Seg("winter", "Winter session", "2024-01-16", "09:30", "11:00"),
        Seg("summer", "Summer session", "2024-07-16", "09:30", "11:00"),
        Seg("springday", "Session on the DST start day", "2024-03-31", "10:00", "11:00")), city="Dublin"),
    # UTC as the home zone
    Scenario("utc", "UTC", (Seg("one", "Only session", "2024-01-01", "10:00", "11:00"),), location=None),
]
