"""index.html in a real headless browser: Debian's chromium driven by selenium through
/usr/bin/chromedriver (installed by scripts/install-test-deps.sh).

The page is opened under several viewer zones (DevTools' time-zone override), and each
viewer-local time is compared with GNU date (tests/oracle.py), never with som's own code; the
zone picker, the filter, the calendar links, the page without JavaScript, print widths, axe-core
and the console are checked too. Screenshots and PDFs go to test-output/page/ (look at them).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import som29
from tests.oracle import local_of_utc_many

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-output" / "page"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = ROOT / "tests" / "interop" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1100,1400")
UTC = dt.timezone.utc
# Geneva, New York, Santiago, Nairobi, Bangkok, Tokyo; Kathmandu for a quarter-hour offset;
# Sydney, whose clocks go back during the `dst` segment below (2 April 2023, 03:00 AEDT).
ZONES = ("Europe/Zurich", "America/New_York", "America/Santiago", "Africa/Nairobi", "Asia/Bangkok",
         "Asia/Tokyo", "Asia/Kathmandu", "Australia/Sydney")
SEGMENTS = len(som29.MEETING["segment"]) + 1  # SOM29's and the one below
MEMBERS = len(som29.MEMBERS)
DST_SEGMENT = """
[[segment]]
id = "dst"
title = "Clock-change Segment"
date = 2023-04-01
time = "17:00-19:00 CEST"
"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("page")
    meeting = folder / "som29.toml"
    meeting.write_text((ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8") + DST_SEGMENT, encoding="utf-8")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    run = subprocess.run([sys.executable, "-m", "agenda", "build", str(meeting), "-o", str(folder / "pack"),
                          "--base-url", "https://example.org/som29/"], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return folder / "pack"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(f"{' and '.join(missing)} missing: run `make setup-test` (it installs Debian's chromium and "
                    f"chromium-driver)", pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server(pack):
    """The pack from a plain static web server."""
    handler = functools.partial(_QuietHandler, directory=str(pack))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _open(driver, url: str, zone: str, *, forget: bool = True) -> None:
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})
    driver.get(url)
    if forget and driver.execute_script("return localStorage.length"):
        driver.execute_script("localStorage.clear()")
        driver.get(url)


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


LOCAL_TIMES = """
return Array.from(document.querySelectorAll('time.local')).map(function (t) {
  var id = t.getAttribute('data-segment');
  return [id, t.getAttribute('datetime'), t.getAttribute('data-end'), t.getAttribute('data-home-date'),
          t.textContent, document.querySelector('.local-day[data-segment="' + id + '"]').textContent,
          document.querySelector('.local-zone[data-segment="' + id + '"]').textContent,
          t.offsetParent !== null];
});
"""


def _instant(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)


def _label_ok(label: str, abbr: str, offset: int) -> bool:
    """The page's zone label is GNU date's abbreviation, or the same offset as UTC±hh:mm."""
    sign = "+" if offset >= 0 else "-"
    return label == abbr or label == f"UTC{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


def _check_local_times(rows, zone: str) -> None:
    assert len(rows) == SEGMENTS
    oracle = local_of_utc_many([(_instant(r[i]), zone) for r in rows for i in (1, 2)])
    for n, (sid, start, end, home_date, text, day, name, visible) in enumerate(rows):
        (a, abbr_a, off_a), (b, abbr_b, off_b) = oracle[2 * n], oracle[2 * n + 1]
        m = re.fullmatch(r"(\d\d:\d\d)–(\d\d:\d\d)(?: \(\+(\d)\))? (\S+?)(?:/(\S+))?", text)
        assert m, (zone, sid, text)
        assert (m[1], m[2]) == (f"{a:%H:%M}", f"{b:%H:%M}"), (zone, sid, text, a, b)
        next_day = (b.date() - a.date()).days if b.time() != dt.time(0) else 0  # 22:00–00:00 ends that day
        assert int(m[3] or 0) == next_day, (zone, sid, text)
        assert _label_ok(m[4], abbr_a, off_a), (zone, sid, text, abbr_a, off_a)
        assert _label_ok(m[5] or m[4], abbr_b, off_b), (zone, sid, text, abbr_b, off_b)
        assert bool(m[5]) == (off_a != off_b), (zone, sid, text)
        shift = (a.date() - dt.date.fromisoformat(home_date)).days
        assert day.startswith(f"on {a:%a} {a.day} {a:%b %Y} ("), (zone, sid, day)
        assert day.endswith("(same day as in Geneva)" if shift == 0 else f"{'+' if shift > 0 else '−'}{abs(shift)} day)")
        assert zone.replace("_", " ") in name and visible


def test_viewer_local_times_match_gnu_date_in_every_zone(browser, pack):
    url = (pack / "index.html").as_uri()
    seen = {}
    for zone in ZONES:
        _open(browser, url, zone)
        rows = browser.execute_script(LOCAL_TIMES)
        _check_local_times(rows, zone)
        seen[zone] = {r[0]: r[4] for r in rows}
    # the Sydney day: the clocks go back inside the segment, and the page says both names or offsets
    assert "/" in seen["Australia/Sydney"]["dst"]
    assert seen["Asia/Kathmandu"]["technical"].startswith("18:45–20:45 ")
    assert _errors(browser) == []


def test_zone_picker_changes_the_times_and_is_remembered_without_cookies(browser, pack):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url = (pack / "index.html").as_uri()
    _open(browser, url, "Asia/Tokyo")
    picker = Select(browser.find_element(By.ID, "zone"))
    values = [o.get_attribute("value") for o in picker.options]
    assert len(values) > 300 and "America/Santiago" in values and "UTC" in values
    picker.select_by_value("America/Santiago")
    _check_local_times(browser.execute_script(LOCAL_TIMES), "America/Santiago")
    browser.get(url)  # a later visit: still Santiago, though the device is in Tokyo
    assert Select(browser.find_element(By.ID, "zone")).first_selected_option.get_attribute("value") == "America/Santiago"
    _check_local_times(browser.execute_script(LOCAL_TIMES), "America/Santiago")
    assert browser.get_cookies() == [] and browser.execute_script("return document.cookie") == ""
    Select(browser.find_element(By.ID, "zone")).select_by_value("")
    _check_local_times(browser.execute_script(LOCAL_TIMES), "Asia/Tokyo")
    browser.get(url)
    _check_local_times(browser.execute_script(LOCAL_TIMES), "Asia/Tokyo")
    assert _errors(browser) == []


def test_filter_filters_the_members_table(browser, pack):
    from selenium.webdriver.common.by import By

    _open(browser, (pack / "index.html").as_uri(), "Europe/Zurich")
    box = browser.find_element(By.ID, "technical-filter")
    visible = "return Array.from(document.querySelectorAll('#technical-table tbody tr')).filter(r => !r.hidden).map(r => r.dataset.member)"
    assert len(browser.execute_script(visible)) == MEMBERS
    box.send_keys("nairobi")
    nairobi = sum(1 for m in som29.MEMBERS if m["city"] == "Nairobi")
    assert len(browser.execute_script(visible)) == nairobi and "unep" in browser.execute_script(visible)
    assert browser.find_element(By.CSS_SELECTOR, '.shown[data-segment="technical"]').text == \
        f"{nairobi} of {MEMBERS} members shown"
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "technical-members"))
    assert browser.save_screenshot(str(SHOTS / "index-filtered.png"))
    box.clear()
    box.send_keys("UNESCO")
    assert browser.execute_script(visible) == ["unesco"]
    assert len(browser.execute_script(
        "return Array.from(document.querySelectorAll('#senior-table tbody tr')).filter(r => !r.hidden)")) == MEMBERS
    box.clear()
    box.send_keys(" ")  # blank: everyone again
    assert len(browser.execute_script(visible)) == MEMBERS


def test_links_carry_the_utc_times_of_the_page(browser, pack):
    _open(browser, (pack / "index.html").as_uri(), "America/New_York")
    links = browser.execute_script("""
      return Array.from(document.querySelectorAll('section.segment')).map(function (s) {
        var t = s.querySelector('time.local');
        function href(c) { var a = s.querySelector('a.' + c); return a ? a.href : null; }
        return [s.id, t.getAttribute('datetime'), t.getAttribute('data-end'), href('google'), href('outlook'),
                href('ics'), href('webcal')];
      });""")
    assert len(links) == SEGMENTS
    for sid, start, end, google, outlook, ics, webcal in links:
        s, e = _instant(start), _instant(end)
        assert parse_qs(urlsplit(google).query)["dates"] == [f"{s:%Y%m%dT%H%M%SZ}/{e:%Y%m%dT%H%M%SZ}"]
        o = parse_qs(urlsplit(outlook).query)
        assert (o["startdt"], o["enddt"]) == ([f"{s:%Y-%m-%dT%H:%M:%SZ}"], [f"{e:%Y-%m-%dT%H:%M:%SZ}"])
        assert ics.endswith(f"/invitations/emg-som29-{sid}.ics")
        assert webcal == "webcal://example.org/som29/invitations/emg-som29.ics"


def test_without_javascript_the_page_still_shows_home_utc_and_member_times(browser, pack):
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get((pack / "index.html").as_uri())
        section = browser.find_element(By.ID, "technical")
        text = section.text
        assert "Tue 26 Sep 2023, 15:00–17:00 CEST, Geneva" in text and "13:00–15:00 UTC" in text
        assert "Tue 26 Sep, 09:00–11:00 EDT" in text  # New York, from the members table
        assert "Your time" not in text  # the browser's own time needs the script
        assert not browser.find_element(By.ID, "picker").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, "#technical figure svg").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def axe_violations(driver) -> list[str]:
    """What axe-core finds wrong on the open page (WCAG 2.1 A and AA, best practice)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `make setup-test`", pytrace=False)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(30)
    return driver.execute_async_script("""
      var done = arguments[arguments.length - 1];
      axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
        .then(function (r) { done(r.violations.map(function (v) {
          return v.id + ': ' + v.help + ' (' + v.nodes.length + ') ' + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(' | ');
        })); }, function (e) { done(['axe failed: ' + e]); });""")


def test_axe_finds_no_accessibility_violations(browser, pack):
    _open(browser, (pack / "index.html").as_uri(), "Africa/Nairobi")
    assert axe_violations(browser) == []


def test_print_on_a4_and_letter_cuts_no_column(browser, pack):
    _open(browser, (pack / "index.html").as_uri(), "Europe/Zurich")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        # the printable width at 96 px per inch with the page's 12 mm margins
        for paper, width_mm in (("A4", 210), ("Letter", 215.9)):
            width = int((width_mm - 24) / 25.4 * 96)
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
            over = browser.execute_script("""
              var out = [], root = document.documentElement;
              if (root.scrollWidth > root.clientWidth) { out.push('page ' + root.scrollWidth + ' > ' + root.clientWidth); }
              document.querySelectorAll('table, figure, dl').forEach(function (t) {
                var r = t.getBoundingClientRect();
                if (r.right > root.clientWidth + 0.5 || t.scrollWidth > t.clientWidth + 1) { out.push(t.className + ' ' + r.right); }
              });
              return out;""")
            assert over == [], paper
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        from selenium.webdriver.common.print_page_options import PrintOptions

        for paper, (w, h) in (("A4", (21.0, 29.7)), ("Letter", (21.59, 27.94))):
            options = PrintOptions()
            options.page_width, options.page_height = w, h
            pdf = browser.print_page(options)
            import base64

            data = base64.b64decode(pdf)
            assert data.startswith(b"%PDF")
            (SHOTS / f"index-{paper}.pdf").write_bytes(data)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_from_a_static_web_server_with_no_console_errors_and_a_screenshot(browser, server):
    browser.get_log("browser")  # start afresh
    _open(browser, server + "index.html", "America/New_York")
    rows = browser.execute_script(LOCAL_TIMES)
    _check_local_times(rows, "America/New_York")
    assert _errors(browser) == []
    # the whole page, for a person to look at
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 1100, "height": min(height, 16000), "deviceScaleFactor": 1, "mobile": False})
    try:
        assert browser.save_screenshot(str(SHOTS / "index-New_York.png"))
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 1100, "height": 1500, "deviceScaleFactor": 1, "mobile": False})
        browser.execute_script("window.scrollTo(0, 0)")
        assert browser.save_screenshot(str(SHOTS / "index-New_York-top.png"))
        browser.execute_script("document.getElementById('dst').scrollIntoView()")
        assert browser.save_screenshot(str(SHOTS / "index-New_York-dst.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert (SHOTS / "index-New_York.png").stat().st_size > 10_000


def test_on_a_phone_every_column_of_the_members_table_is_reachable_and_the_bands_stay_readable(browser, pack):
    # 400 px wide: the page itself must not scroll sideways (nothing cut by its edge); the members
    # table scrolls inside its own box, so each column can be scrolled into that box in full; the
    # bands keep a readable width (at least 600 px of the 834 drawn) and scroll in theirs.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 400, "height": 1200, "deviceScaleFactor": 1, "mobile": True})
    try:
        _open(browser, (pack / "index.html").as_uri(), "Europe/Zurich")
        problems = browser.execute_script("""
          var out = [], root = document.documentElement;
          if (root.scrollWidth > root.clientWidth) { out.push('page ' + root.scrollWidth + ' > ' + root.clientWidth); }
          document.querySelectorAll('table.members').forEach(function (table) {
            var box = table.parentElement, style = getComputedStyle(box);
            if (['auto', 'scroll'].indexOf(style.overflowX) < 0) { out.push(table.id + ' is not in a scrolling box'); return; }
            var edge = box.getBoundingClientRect();
            if (edge.right > root.clientWidth + 0.5) { out.push(table.id + ' box ends at ' + edge.right); }
            table.querySelectorAll('thead th').forEach(function (th) {
              box.scrollLeft = th.offsetLeft;
              var r = th.getBoundingClientRect(), b = box.getBoundingClientRect();
              if (r.width > b.width + 0.5) { out.push(table.id + ' ' + th.textContent + ' wider than its box'); }
              else if (r.left < b.left - 0.5 || r.right > b.right + 0.5) { out.push(table.id + ' ' + th.textContent + ' cut'); }
            });
            box.scrollLeft = 0;
          });
          document.querySelectorAll('figure.bands svg').forEach(function (svg) {
            var w = svg.getBoundingClientRect().width;
            if (w < 600) { out.push('bands ' + w + ' px wide'); }
          });
          return out;""")
        assert problems == []
        browser.execute_script("document.getElementById('senior-day').scrollIntoView()")
        assert browser.save_screenshot(str(SHOTS / "index-phone.png"))  # the bands, then the table
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
