"""index.html and schedule.svg of `som build`, read as files: self-contained, same bytes on re-run,
links that agree with the feed, member times that agree with GNU date. The page in a browser:
tests/test_page_browser.py."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import som29
from tests.oracle import local_of_utc_many, utc_of_local
from tests.parsers import all_parsers_agree

ROOT = Path(__file__).resolve().parent.parent
SOM29 = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
UTC = dt.timezone.utc
VOID = {"meta", "link", "input", "br", "img", "hr", "col", "source", "wbr"}


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


class Page(HTMLParser):
    """Elements with their attributes and text, checked for balanced tags on the way."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.elements: list[tuple[str, dict, list[str]]] = []
        self.open: list[list[str]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._raw: str | None = None
        self.feed(text)
        self.close()
        assert not self.stack, f"unclosed: {self.stack}"

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.elements.append(element)
        if tag in VOID:
            return
        self.stack.append(tag)
        self.open.append(element[2])
        if tag in ("script", "style"):
            self._raw = tag

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), []))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        self.open.pop()
        self._raw = None

    def handle_data(self, data):
        for text in self.open:
            text.append(data)
        if self._raw == "script":
            self.scripts.append(data)
        elif self._raw == "style":
            self.styles.append(data)

    def find(self, tag: str, **attrs) -> list[tuple[dict, str]]:
        return [(a, "".join(t)) for name, a, t in self.elements
                if name == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def build(runner, *args) -> Path:
    result = runner("build", *args)
    assert result.exit_code == 0, result.output
    return Path(args[args.index("-o") + 1]).resolve()


def test_page_is_self_contained_and_its_csp_hashes_match(runner, tmp_path, epoch):
    pack = build(runner, "-o", "pack")
    text = (pack / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    # no external resources: no src at all, no stylesheet or font links, no @import or url()
    assert not [a for _, a, _ in page.elements if "src" in a]
    assert [a for a in (a for _, a, _ in page.elements) if a.get("rel") == "stylesheet"] == []
    assert "@import" not in text and "url(http" not in text and "@font-face" not in text
    assert len(page.scripts) == 1 and len(page.styles) == 1
    [(meta, _)] = page.find("meta", http_equiv="Content-Security-Policy")
    csp = meta["content"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    for source, directive in ((page.scripts[0], "script-src"), (page.styles[0], "style-src")):
        digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp
    assert not [a for _, a, _ in page.elements if "style" in a or any(k.startswith("on") for k in a)]
    # headings in order: one h1, no level skipped
    levels = [int(name[1]) for name, _, _ in page.elements if re.fullmatch(r"h[1-6]", name)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    # every form control has a label
    labels = {a.get("for") for a, _ in page.find("label")}
    for name, a, _ in page.elements:
        if name in ("input", "select"):
            assert a.get("id") in labels, a


def test_page_and_svg_rebuild_byte_identical_and_svg_is_xml(runner, tmp_path, epoch):
    pack = build(runner, "-o", "pack", "--base-url", "https://example.org/som29")
    first = {n: (pack / n).read_bytes() for n in ("index.html", "schedule.svg", "history.json")}
    again = runner("build", "-o", "pack", "--base-url", "https://example.org/som29")
    assert again.exit_code == 0 and "written" not in again.stdout
    assert {n: (pack / n).read_bytes() for n in first} == first
    svg = ET.fromstring(first["schedule.svg"])
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.tag == f"{ns}svg" and svg.get("role") == "img"
    assert "every segment in every member city" in svg.find(f"{ns}title").text
    titles = [t.text for t in svg.iter(f"{ns}text") if t.get("font-weight") == "bold" and t.get("font-size") == "13"]
    assert titles == [s["title"] for s in som29.MEETING["segment"]]
    # each inline SVG of the page is XML too
    page = first["index.html"].decode()
    inline = re.findall(r"<svg .*?</svg>", page, re.S)
    assert len(inline) == len(som29.MEETING["segment"])  # one figure of bands per segment
    for one in inline:
        ET.fromstring(one)


def _links(page: Page, cls: str) -> dict[str, str]:
    """{segment id: href} of the links of a class, by the section they are in."""
    out, section = {}, None
    for name, a, _ in page.elements:
        if name == "section":
            section = a["id"]
        elif name == "a" and a.get("class") == cls:
            out[section] = a["href"]
    return out


def test_calendar_links_agree_with_the_feed_and_gnu_date(runner, tmp_path, epoch):
    pack = build(runner, "-o", "pack", "--base-url", "https://example.org/som29/")
    page = Page((pack / "index.html").read_text(encoding="utf-8"))
    feed = all_parsers_agree(pack / "invitations" / "emg-som29.ics")["ical.js"]
    by_segment = {i.uid.split(".")[0]: i for i in feed}
    google, outlook, ics = _links(page, "google"), _links(page, "outlook"), _links(page, "ics")
    webcal = _links(page, "webcal")
    expected = {"midterm": "2023-05-16 15:00", "technical": "2023-09-26 15:00", "senior": "2023-10-10 14:00"}
    for sid, local in expected.items():
        event = by_segment[sid]
        start = utc_of_local(local, "Europe/Zurich")  # GNU date, never som
        assert event.start_utc == start
        g = parse_qs(urlsplit(google[sid]).query)
        assert urlsplit(google[sid]).netloc == "calendar.google.com" and g["action"] == ["TEMPLATE"]
        assert g["dates"] == [f"{event.start_utc:%Y%m%dT%H%M%SZ}/{event.end_utc:%Y%m%dT%H%M%SZ}"]
        assert g["text"] == [event.summary]
        o = parse_qs(urlsplit(outlook[sid]).query)
        assert urlsplit(outlook[sid]).netloc == "outlook.office.com"
        assert "/deeplink/compose" in urlsplit(outlook[sid]).path and o["rru"] == ["addevent"]
        assert o["startdt"] == [f"{event.start_utc:%Y-%m-%dT%H:%M:%SZ}"]
        assert o["enddt"] == [f"{event.end_utc:%Y-%m-%dT%H:%M:%SZ}"]
        assert (pack / ics[sid]).is_file()
        [own] = all_parsers_agree(pack / ics[sid])["ical.js"]
        assert (own.start_utc, own.end_utc) == (event.start_utc, event.end_utc)
        assert webcal[sid] == "webcal://example.org/som29/invitations/emg-som29.ics"


def test_no_webcal_without_base_url_and_base_url_must_be_http(runner, tmp_path, epoch):
    pack = build(runner, "-o", "pack")
    assert "webcal://" not in (pack / "index.html").read_text(encoding="utf-8")
    bad = runner("build", "-o", "pack2", "--base-url", "ftp://example.org/x")
    assert bad.exit_code == 2 and "--base-url" in bad.stderr


def test_members_table_is_rendered_at_build_time_and_agrees_with_gnu_date(runner, tmp_path, epoch):
    from agenda.read.load import load_meeting

    pack = build(runner, "-o", "pack")
    page = Page((pack / "index.html").read_text(encoding="utf-8"))
    meeting = load_meeting()
    rows = {}
    section = None
    for name, a, text in page.elements:
        if name == "section":
            section = a["id"]
        if name == "tr" and "data-member" in a:
            rows[(section, a["data-member"])] = "".join(text)
    segment = meeting.segment("technical")
    start = utc_of_local("2023-09-26 15:00", "Europe/Zurich")
    answers = local_of_utc_many([(start, m.zone.key) for m in meeting.members])
    assert len([k for k in rows if k[0] == "technical"]) == len(meeting.members) == len(som29.MEMBERS)
    for member, (wall, abbr, offset) in zip(meeting.members, answers):
        row = rows[("technical", member.id)]
        end = wall + dt.timedelta(hours=2)
        # where the zone has no abbreviation (GNU date says +07), som writes the offset
        label = abbr if abbr[0] not in "+-" else f"UTC{'+' if offset >= 0 else '-'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
        assert f"{wall:%a %d %b}, {wall:%H:%M}–{end:%H:%M} {label}" in row, (member.id, row)
    assert "✗ outside" in rows[("technical", "unu")] and "✓ inside" in rows[("technical", "unep")]
    assert segment is not None
    # home time and UTC are in the page as text; the viewer's time has the UTC instants
    text = (pack / "index.html").read_text(encoding="utf-8")
    assert "Tue 26 Sep 2023, 15:00–17:00 CEST, Geneva" in text and "13:00–15:00 UTC" in text
    [(t, _)] = [x for x in page.find("time") if x[0].get("data-segment") == "technical"]
    assert t["class"] == "local" and t["datetime"] == f"{start:%Y-%m-%dT%H:%MZ}"


def test_a_directory_too_large_to_list_gets_one_row_per_city_and_local_time(runner, tmp_path, epoch, monkeypatch):
    """Above MEMBERS_LISTED members the page groups them (40,000 rows a segment made a 30 MB
    page); here the limit is lowered so that SOM29's 53 members are "too many"."""
    import html
    from collections import Counter

    from agenda.read.load import load_meeting
    from agenda.render import page as page_module

    from agenda.render import bands

    monkeypatch.setattr(page_module, "MEMBERS_LISTED", 10)
    monkeypatch.setattr(bands, "MEMBERS_LISTED", 10)
    pack = build(runner, "-o", "pack")
    text = (pack / "index.html").read_text(encoding="utf-8")
    meeting = load_meeting()
    assert 'data-member="' not in text and 'data-filter="technical"' not in text
    assert "53 members, too many to list one by one: one row per city and local time. Each member's own row is in " \
           "schedule.md, schedule.csv, schedule.json." in html.unescape(text)
    table = re.search(r'<table class="members cities" id="technical-table">(.*?)</table>', text, re.S).group(1)
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td class="wh [a-z]*">[^<]*</td>'
                      r"<td>(?:<strong>[^<]*</strong>)?</td><td>(\d+)</td></tr>", table)
    assert len(rows) == table.count("<tr>") - 1  # every row but the heading's
    start = utc_of_local("2023-09-26 15:00", "Europe/Zurich")
    expected: Counter = Counter()
    for member, (wall, abbr, offset) in zip(meeting.members, local_of_utc_many([(start, m.zone.key) for m in meeting.members])):
        end = wall + dt.timedelta(hours=2)
        label = abbr if abbr[0] not in "+-" else f"UTC{'+' if offset >= 0 else '-'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
        expected[(member.city, f"{wall:%a %d %b}, {wall:%H:%M}–{end:%H:%M} {label}")] += 1
    assert {(city, local): int(n) for city, local, n in rows} == dict(expected)
    assert [city for city, _, _ in rows] == sorted((city for city, _, _ in rows), key=str.casefold)
    assert sum(int(n) for _, _, n in rows) == len(meeting.members) == len(som29.MEMBERS)
    # the bands count each city's members rather than name them, in the page and in schedule.svg
    svg = (pack / "schedule.svg").read_text(encoding="utf-8")
    assert sum(int(n) for n in re.findall(r">(\d+) members</text>", svg)) == 3 * len(meeting.members)
    figure = re.search(r'<figure class="bands">.*?</figure>', text[text.index('id="technical"'):], re.S).group(0)
    assert sum(int(n) for n in re.findall(r">(\d+) members</text>", figure)) == len(meeting.members)
    assert "ICAO" not in svg and "ICAO" not in figure


def test_holiday_marks_follow_the_member_calendars(runner, tmp_path, epoch, write):
    # Thanksgiving (US) and a Monday Labour Day in Canada: the members there get a mark
    meeting = write("som29.toml", SOM29.replace('date = 2023-10-10\ntime = "14:00-15:30 CEST"',
                                                'date = 2023-10-09\ntime = "15:00-16:30 CEST"'))
    pack = build(runner, meeting, "-o", "pack")
    page = Page((pack / "index.html").read_text(encoding="utf-8"))
    rows = {a["data-member"]: "".join(t) for n, a, t in page.elements if n == "tr" and "data-member" in a}
    assert "⚑ Thanksgiving" in rows["icao"]  # Montreal, 9 Oct 2023
    svg = (pack / "schedule.svg").read_text(encoding="utf-8")
    assert "holiday: Thanksgiving" in svg and "b-senior-hatch" in svg


def test_cancelled_segment_is_struck_through_and_labelled_without_add_links(runner, tmp_path, epoch, write):
    meeting = write("som29.toml", SOM29.replace('id = "senior"', 'id = "senior"\nstatus = "cancelled"'))
    pack = build(runner, meeting, "-o", "pack")
    text = (pack / "index.html").read_text(encoding="utf-8")
    section = text[text.index('<section class="segment cancelled" id="senior"'):]
    section = section[: section.index("</section>")]
    assert '<span class="status">Cancelled</span>' in section and "<del>" in section
    assert 'class="google"' not in section
    # cancelled before it was ever issued: no .ics is written for it, so none is offered
    # (tests/test_cancelled_everywhere.py: one cancelled after issuing links its cancellation)
    assert 'class="ics"' not in section
    assert "(cancelled)" in (pack / "schedule.svg").read_text(encoding="utf-8")


def test_internal_page_has_the_checklist_and_the_members_page_does_not(runner, tmp_path, epoch):
    members = (build(runner, "-o", "pack") / "index.html").read_text(encoding="utf-8")
    internal = (build(runner, "-o", "internal", "--internal") / "index.html").read_text(encoding="utf-8")
    assert "Preparation (secretariat)" in internal and "For the secretariat" in internal
    assert "Preparation (secretariat)" not in members and "checklist" not in members.split("<footer>")[0].lower()


def test_rescheduled_segment_shows_its_new_time_and_when_it_changed(runner, tmp_path, write, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14 Nov 2023
    meeting = write("som29.toml", SOM29)
    pack = build(runner, meeting, "-o", "pack")
    assert "Time changed" not in (pack / "index.html").read_text(encoding="utf-8")
    meeting.write_text(SOM29.replace('date = 2023-09-26\ntime = "15:00-17:00 CEST"',
                                     'date = 2023-09-26\ntime = "16:00-18:00 CEST"'), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700100000")  # 16 Nov 2023
    build(runner, meeting, "-o", "pack")
    text = (pack / "index.html").read_text(encoding="utf-8")
    assert "Tue 26 Sep 2023, 16:00–18:00 CEST, Geneva" in text
    assert "Time changed on 16 November 2023</strong> (was Tue 26 Sep 2023, 15:00–17:00 CEST, Geneva)" in text
    assert text.count("Time changed on") == 1
    # a later run, on another day, with nothing changed: the same page, the same note
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700500000")
    again = runner("build", meeting, "-o", "pack")
    assert again.exit_code == 0 and re.search(r"index\.html .* unchanged", again.stdout)
    assert (pack / "index.html").read_text(encoding="utf-8") == text


def test_suggest_draws_its_candidates_as_svg(runner):
    result = runner("suggest", "--between", "2024-09-02..2024-09-06", "--top", "2", "--format", "svg")
    assert result.exit_code == 0, result.output
    svg = ET.fromstring(result.stdout.encode("utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    heads = [t.text for t in svg.iter(f"{ns}text") if t.get("font-size") == "13"]
    assert len(heads) == 2 and heads[0].startswith("#1: ") and heads[1].startswith("#2: ")
    assert "som suggest: the best 2 start times" in svg.find(f"{ns}title").text


def test_bands_judge_each_hour_by_the_working_hours_rule():
    # Two offices in one city, on Tuesday 26 September 2023 (Geneva's day, 24 one-hour cells from
    # its midnight): one works 00:00-08:00, one the default 09:00-18:00. Declared hours win over
    # the night, as in schedule, check and suggest (agenda.model.hours.fit): the early office's
    # 00:00-08:00 are eight working cells and none is night; the other has six night cells
    # (00:00-06:00) and nine working ones (09:00-18:00).
    from zoneinfo import ZoneInfo

    from agenda.model.meeting import Member
    from agenda.render import bands

    zurich = ZoneInfo("Europe/Zurich")
    early = Member("early", "EARLY", "Early office", "Geneva", "CH", zurich, hours=(dt.time(0), dt.time(8)))
    usual = Member("usual", "USUAL", "Usual office", "Geneva", "CH", zurich)
    start = dt.datetime(2023, 9, 26, 15, tzinfo=zurich)
    span = bands.Span("b-x", "X", start, start + dt.timedelta(hours=2))
    svg = ET.fromstring(bands.bands_svg([(span, bands.cities((early, usual), zurich, "Geneva", start))],
                                        home_city="Geneva", title="t", standalone=True))
    ns = "{http://www.w3.org/2000/svg}"
    rows: dict[str, list[str]] = {}
    for rect in svg.iter(f"{ns}rect"):
        if rect.get("height") == str(bands.BAND) and rect.get("fill", "").startswith("#"):
            rows.setdefault(rect.get("y"), []).append(rect.get("fill"))
    cells = [fills for fills in rows.values() if len(fills) == 24]
    kinds = sorted((fills.count(bands.WORK_FILL), fills.count(bands.NIGHT_FILL)) for fills in cells)
    assert kinds == [(8, 0), (9, 6)]
    early_row = next(fills for fills in cells if fills.count(bands.WORK_FILL) == 8)
    assert early_row[:8] == [bands.WORK_FILL] * 8


@pytest.mark.parametrize("changed_on", ['"2023-02-30"', '"16 November 2023"', '""', "5", "null", '["2023-11-16"]'])
def test_a_history_edited_by_hand_gives_no_time_changed_note(runner, tmp_path, epoch, changed_on):
    # history.json's changed_on is read as YYYY-MM-DD by the one date reader (agenda.model.timeplan);
    # anything else is no note, never a wrong one nor a traceback.
    pack = build(runner, "-o", "pack")
    history = pack / "history.json"
    text = history.read_text(encoding="utf-8")
    assert text.count('"changed_on": null') == len(som29.MEETING["segment"])
    history.write_text(text.replace('"changed_on": null', f'"changed_on": {changed_on}', 1), encoding="utf-8")
    build(runner, "-o", "pack", "--force")
    assert "Time changed" not in (pack / "index.html").read_text(encoding="utf-8")


def test_a_history_date_is_the_day_shown(runner, tmp_path, epoch):
    pack = build(runner, "-o", "pack")
    history = pack / "history.json"
    text = history.read_text(encoding="utf-8")
    history.write_text(text.replace('"changed_on": null', '"changed_on": "2023-11-02"', 1), encoding="utf-8")
    build(runner, "-o", "pack", "--force")
    assert "Time changed on 2 November 2023" in (pack / "index.html").read_text(encoding="utf-8")


# --- what the members' page shows, and the bands' labels (a new user's trial) -----------------

INTERNAL_WORDS = ("checklist", "attendance", "invitations/members", "e-mail address", "som-issued", "send-log",
                  "som-replies", ".som-files")


def test_members_page_neither_links_nor_names_the_internal_files(runner, tmp_path, epoch):
    # SOM29's directory has no addresses: the pack notes "no per-member invitations: 53 members have
    # no e-mail address" in index.md, which is the secretariat's business, not the members'.
    members = (build(runner, "-o", "pack", "--base-url", "https://example.org/som29/") / "index.html").read_text(
        encoding="utf-8")
    lowered = members.lower()
    assert [w for w in INTERNAL_WORDS if w in lowered] == []
    hrefs = {a["href"] for a, _ in Page(members).find("a") if "href" in a}
    assert {"schedule.svg", "agenda/senior.html", "invitations/emg-som29.ics"} <= hrefs
    internal = (build(runner, "-o", "internal", "--internal") / "index.html").read_text(encoding="utf-8")
    internal_hrefs = {a["href"] for a, _ in Page(internal).find("a") if "href" in a}
    assert {"checklist.md", "checklist.ics", "checklist-events.ics"} <= internal_hrefs
    for kept in ("som-issued.toml", "send-log.jsonl", "som-replies.jsonl", ".som-files.json", "invitations/members/"):
        assert kept in internal, kept


def _band_rows(svg_text: str) -> list[list[str]]:
    """Each band's label lines, top to bottom: the city line (11 px) and the small lines under it."""
    ns = "{http://www.w3.org/2000/svg}"
    rows: list[list[str]] = []
    for t in ET.fromstring(svg_text).iter(f"{ns}text"):
        if t.get("x") != "4":
            continue
        text = "".join(t.itertext())
        if t.get("font-size") == "11" and t.find(f"{ns}tspan") is not None:
            rows.append([text])
        elif t.get("font-size") == "8" and rows:
            rows[-1].append(text)
    return rows


def _segment_svg(sid: str, folder: Path, toml: str = SOM29) -> str:
    from agenda.read.load import load_meeting
    from agenda.render import bands

    (folder / "som29.toml").write_text(toml, encoding="utf-8")
    meeting = load_meeting(folder / "som29.toml")
    segment = meeting.segment(sid)
    span = bands.Span(f"b-{sid}", segment.title, segment.start, segment.end)
    return bands.bands_svg([(span, bands.cities(meeting.members, meeting.zone, meeting.city, segment.start))],
                           home_city=meeting.city, title="t", standalone=True)


def _hatched_cells(svg_text: str, city: str) -> int:
    """Hatched cells in the first band whose label starts with `city`."""
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg_text)
    texts = [t for t in root.iter(f"{ns}text") if t.get("x") == "4" and t.get("font-size") == "11"
             and "".join(t.itertext()).startswith(city)]
    y = float(texts[0].get("y")) - 10  # the band's top: the city line sits 10 px below it
    return sum(1 for r in root.iter(f"{ns}rect") if r.get("fill", "").endswith("-hatch)")
               and r.get("height") == "22" and float(r.get("y")) == y)


def test_a_holiday_outside_the_meeting_is_labelled_with_its_day_and_keeps_the_members(runner, tmp_path, epoch):
    # Senior Segment, Tue 10 Oct 2023 14:00-15:30 CEST. Worked by hand: the 24 columns start at
    # Geneva's midnight, 9 Oct 22:00 UTC = Mon 9 Oct 18:00 EDT in Montreal, so Montreal's first six
    # cells (18-23 on Monday) are Thanksgiving (Canada, 2nd Monday of October) and hatched; the
    # meeting is there Tue 10 Oct 08:00-09:30 EDT, no holiday. Washington: Mon 9 Oct is DC's
    # Indigenous Peoples' Day, also the evening before.
    svg = _segment_svg("senior", tmp_path)
    rows = {r[0].split(" UTC")[0]: r for r in _band_rows(svg)}
    assert not [r for r in rows.values() if any(line.startswith("holiday:") for line in r[1:])]
    assert "Mon 9 Oct: Thanksgiving Day" in rows["Montreal"]
    assert "ICAO, CBD" in rows["Montreal"]
    assert any(line.startswith("Mon 9 Oct: ") for line in rows["Washington"])
    assert "UNDP, UNICEF, UNFPA, UN Women, DESA, OCHA" in " ".join(rows["New York"][1:])
    assert _hatched_cells(svg, "Montreal") == 6
    # the members table agrees: no holiday for Montreal during the meeting
    pack = build(runner, "-o", "pack")
    page = Page((pack / "index.html").read_text(encoding="utf-8"))
    section = None
    for name, a, text in page.elements:
        if name == "section":
            section = a["id"]
        if name == "tr" and a.get("data-member") == "icao" and section == "senior":
            assert "⚑" not in "".join(text)
    # Technical Segment, Tue 26 Sep 2023 15:00-17:00 CEST: Addis Ababa and Beirut are an hour ahead,
    # their last cell (00:00-01:00) is Wed 27 Sep, the Prophet's Birthday there: the next day.
    technical = {r[0].split(" UTC")[0]: r for r in _band_rows(_segment_svg("technical", tmp_path))}
    for city, members in (("Addis Ababa", "ECA"), ("Beirut", "ESCWA")):
        assert any(line.startswith("Wed 27 Sep: ") for line in technical[city]), technical[city]
        assert members in technical[city]
        assert not any(line.startswith("holiday:") for line in technical[city])


def test_a_holiday_during_the_meeting_is_said_so(runner, tmp_path):
    # Thanksgiving moved under the meeting: Mon 9 Oct 15:00 CEST = 09:00 EDT in Montreal.
    toml = SOM29.replace('date = 2023-10-10\ntime = "14:00-15:30 CEST"', 'date = 2023-10-09\ntime = "15:00-16:30 CEST"')
    rows = {r[0].split(" UTC")[0]: r for r in _band_rows(_segment_svg("senior", tmp_path, toml))}
    assert "holiday: Thanksgiving Day" in rows["Montreal"] and "ICAO, CBD" in rows["Montreal"]


def test_rows_of_one_city_are_merged_or_told_apart(runner, tmp_path):
    # Geneva's members follow two calendars (UN Geneva's, and the canton's public holidays). On Tue
    # 10 Oct 2023 neither has a holiday in the 24 hours: one Geneva row. On Fri 21 Apr 2023 UN
    # Geneva closes for Eid al-Fitr and the canton does not: two rows, each naming its calendar.
    senior = [r[0] for r in _band_rows(_segment_svg("senior", tmp_path))]
    assert len(senior) == len(set(senior)), senior
    assert sum(1 for line in senior if line.startswith("Geneva ")) == 1
    toml = SOM29.replace('date = 2023-10-10\ntime = "14:00-15:30 CEST"', 'date = 2023-04-21\ntime = "15:00-16:30 CEST"')
    geneva = [r for r in _band_rows(_segment_svg("senior", tmp_path, toml)) if r[0].startswith("Geneva ")]
    assert len(geneva) == 2
    labels = ["\n".join(r) for r in geneva]
    assert any("un-geneva" in label and "holiday:" in label for label in labels), labels
    assert any("national: CH-GE" in label and "holiday:" not in label for label in labels), labels
