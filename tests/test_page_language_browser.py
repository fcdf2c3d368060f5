"""The meeting page in French and Arabic in headless chromium (tests/test_page_browser.py's
driver): the viewer's own day and hour written by Intl in the page's language, compared with GNU
date (tests/oracle.py) and weekday and month names written here by hand; Arabic right to left;
axe-core; screenshots in test-output/page/ (look at them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from agenda.app.build import page_files
from agenda.read.load import load_meeting
from tests.oracle import local_of_utc_many
from tests.test_page_browser import SHOTS, _errors, _instant, _open, axe_violations, browser  # noqa: F401 (a fixture)

FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")
ARABIC_DAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
ARABIC_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
                 "ديسمبر")

YOURS = """
return Array.from(document.querySelectorAll('time.local')).map(function (t) {
  var id = t.getAttribute('data-segment');
  return [id, t.getAttribute('datetime'), t.getAttribute('data-end'), t.getAttribute('data-home-date'), t.textContent,
          document.querySelector('.local-day[data-segment="' + id + '"]').textContent];
});
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    meeting = load_meeting()
    out = {}
    for lang in ("fr", "ar"):
        folder = tmp_path_factory.mktemp(f"page-{lang}")
        for f in page_files(meeting, folder, [], None, lang=lang):
            (folder / f.name).write_bytes(f.data)
        out[lang] = folder / "index.html"
    return out


def _expected(rows, zone: str, days, months, on: str, same: str, shift: str):
    """(start–end, the local-day text) each row should show, from GNU date and the names above."""
    oracle = local_of_utc_many([(_instant(r[i]), zone) for r in rows for i in (1, 2)])
    out = []
    for n, (_, _, _, home_date, _, _) in enumerate(rows):
        (a, _, _), (b, _, _) = oracle[2 * n], oracle[2 * n + 1]
        moved = (a.date() - dt.date.fromisoformat(home_date)).days
        note = same if moved == 0 else shift.format(shift=f"{'+' if moved > 0 else '−'}{abs(moved)}")
        out.append((f"{a:%H:%M}–{b:%H:%M}", on.format(date=f"{days[a.weekday()]} {a.day} {months[a.month - 1]} {a.year}",
                                                       note=note)))
    return out


# Santiago (the brief's case: Tue 26 Sep 2023 15:00 CEST is 10:00 there), Auckland (the next day), Tokyo
@pytest.mark.parametrize("zone", ["America/Santiago", "Pacific/Auckland", "Asia/Tokyo"])
def test_a_french_page_gives_the_viewer_day_and_hour_in_french(browser, pages, zone):
    _open(browser, pages["fr"].as_uri(), zone)
    rows = browser.execute_script(YOURS)
    assert len(rows) == 3
    expected = _expected(rows, zone, FRENCH_DAYS, FRENCH_MONTHS, "le {date} ({note})", "même jour qu’à Geneva",
                         "{shift} j")
    for (sid, *_, text, day), (hours, words) in zip(rows, expected):
        assert text.startswith(hours + " "), (zone, sid, text)
        assert day == words, (zone, sid, day)
    assert _errors(browser) == []


def test_the_santiago_case_by_hand(browser, pages):
    _open(browser, pages["fr"].as_uri(), "America/Santiago")
    rows = {r[0]: r for r in browser.execute_script(YOURS)}
    assert rows["technical"][4].startswith("10:00–12:00 ")  # `TZ=America/Santiago date -d '2023-09-26 15:00 CEST'`
    assert rows["technical"][5] == "le mardi 26 septembre 2023 (même jour qu’à Geneva)"


def test_an_arabic_page_reads_right_to_left(browser, pages):
    _open(browser, pages["ar"].as_uri(), "Asia/Riyadh")
    assert browser.execute_script("return [document.documentElement.lang, document.documentElement.dir, "
                                  "getComputedStyle(document.body).direction]") == ["ar", "rtl", "rtl"]
    rows = browser.execute_script(YOURS)
    expected = _expected(rows, "Asia/Riyadh", ARABIC_DAYS, ARABIC_MONTHS, "في {date} ({note})",
                         "اليوم نفسه كما في Geneva", "{shift} يوم")
    for (sid, *_, text, day), (hours, words) in zip(rows, expected):
        assert text.startswith(hours + " "), (sid, text)
        assert day.replace("، ", " ") == words, (sid, day)  # CLDR's Arabic full date has a comma after the day
    # headings start at the right edge; the bands stay a left-to-right time line
    layout = browser.execute_script("""
      var h = document.querySelector('#technical h2 .title').getBoundingClientRect();
      var main = document.querySelector('main').getBoundingClientRect();
      return [main.right - h.right, h.left - main.left,
              getComputedStyle(document.querySelector('figure.bands .wide')).direction];""")
    assert layout[0] < 2 and layout[1] > 100 and layout[2] == "ltr"
    # Drawn, not only stored, in order: the start 15:00 left of the end 17:00 in the home time and
    # in a member's row (without the isolation the bidi algorithm draws 17:00–15:00).
    drawn = browser.execute_script("""
      function where(el, text) {
        var walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), node;
        while ((node = walk.nextNode())) {
          var i = node.data.indexOf(text);
          if (i >= 0) { var r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + text.length);
                        return r.getBoundingClientRect().left; }
        }
        return null;
      }
      var home = document.querySelector('#technical dl.when dd');
      var row = document.querySelector('#technical-table tr[data-member="unep"] td:nth-child(3)');
      return [where(home, '15:00'), where(home, '17:00'), where(row, '16:00'), where(row, '18:00')];""")
    assert None not in drawn and drawn[0] < drawn[1] and drawn[2] < drawn[3], drawn
    assert _errors(browser) == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_axe_finds_no_accessibility_violations_and_a_screenshot(browser, pages, lang):
    _open(browser, pages[lang].as_uri(), "America/Santiago" if lang == "fr" else "Asia/Riyadh")
    assert axe_violations(browser) == []
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 1100, "height": 1500, "deviceScaleFactor": 1, "mobile": False})
    try:
        browser.execute_script("document.getElementById('technical').scrollIntoView()")
        assert browser.save_screenshot(str(SHOTS / f"index-{lang}-technical.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
