"""A reviewer's findings on the six languages, each held here: Arabic spans of hours drawn in
order (in chromium, as tests/test_page_language_browser.py draws the page), one word for one
thing in each catalog, the catalog's own punctuation, and the words of the .docx and .ics.

Expected times are the segment's as the meeting file writes them (SOM29's technical segment:
Tuesday 26 September 2023, 15:00–17:00 Geneva), not copied from a run.
"""

from __future__ import annotations

import email
import io
from email import policy
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from agenda.cli import som
from agenda.read.load import load_meeting
from agenda.render.agenda_doc import agenda_document, to_docx_bytes, to_html
from tests.test_page_browser import _open, browser  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent

# Where a text is drawn: the left edge of its occurrence number `nth` (0: the first) in the element `el`.
WHERE = """
  function where(el, text, nth) {
    var walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), node, seen = 0;
    while ((node = walk.nextNode())) {
      for (var i = node.data.indexOf(text); i >= 0 && seen < (nth || 0); i = node.data.indexOf(text, i + 1)) seen++;
      if (i >= 0) { var r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + text.length);
                    return r.getBoundingClientRect().left; }
    }
    return null;
  }
"""


@pytest.fixture(scope="module")
def arabic_mail(tmp_path_factory) -> Path:
    """An Arabic member's invitation e-mail (ESCWA, Beirut: 16:00–18:00 there, one hour ahead)."""
    folder = tmp_path_factory.mktemp("ar-mail")
    (folder / "members.toml").write_text('extends = "un-entities"\n[[member]]\nid = "escwa"\n'
                                         'emails = ["focal.point@escwa.example.org"]\nlanguage = "ar"\n',
                                         encoding="utf-8")
    meeting = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
    (folder / "som.toml").write_text(meeting.replace('\nmembers = "un-entities"', '\nmembers = "members.toml"'),
                                     encoding="utf-8")
    result = CliRunner().invoke(som, ["invite", str(folder / "som.toml"), "-o", str(folder / "out"), "--eml"],
                                env={"SOURCE_DATE_EPOCH": "1693569600"})
    assert result.exit_code == 0, result.output
    return folder / "out" / "members" / "escwa" / "emg-som29-technical.eml"


def test_an_arabic_agenda_draws_its_span_of_hours_in_order(browser, tmp_path):
    page = tmp_path / "agenda-ar.html"
    page.write_text(to_html(agenda_document(load_meeting(), ["technical"], lang="ar")), encoding="utf-8")
    _open(browser, page.as_uri(), "Asia/Riyadh")
    drawn = browser.execute_script(WHERE + """
      var dd = document.querySelectorAll('dl.facts dd')[1];
      return [where(dd, '15:00'), where(dd, '17:00'), where(dd, '13:00'), where(dd, '15:00', 1)];""")
    # 15:00–17:00 CEST is 13:00–15:00 UTC; each start is drawn left of its end
    assert None not in drawn and drawn[0] < drawn[1] and drawn[2] < drawn[3], drawn


def test_an_arabic_email_draws_its_spans_of_hours_in_order(browser, arabic_mail, tmp_path):
    message = email.message_from_bytes(arabic_mail.read_bytes(), policy=policy.default)
    part = message.get_body(("html",))
    page = tmp_path / "mail-ar.html"
    page.write_text(part.get_content(), encoding="utf-8")
    _open(browser, page.as_uri(), "Asia/Beirut")
    drawn = browser.execute_script(WHERE + """
      var b = document.body;
      return [where(b, '16:00'), where(b, '18:00'), where(b, '15:00'), where(b, '17:00')];""")
    assert None not in drawn and drawn[0] < drawn[1] and drawn[2] < drawn[3], drawn


def test_an_arabic_word_agenda_keeps_its_span_of_hours_left_to_right():
    data = to_docx_bytes(agenda_document(load_meeting(), ["technical"], lang="ar"))
    body = docx.Document(io.BytesIO(data)).element.body
    runs = {"".join(t.text for t in r.iter(qn("w:t"))): r for r in body.iter(qn("w:r"))}
    span = [text for text in runs if "15:00" in text and "17:00" in text]
    assert span == ["\u206615:00–17:00\u2069"], list(runs)
    assert runs[span[0]].rPr.find(qn("w:rtl")) is None  # a left-to-right run in a right-to-left paragraph
    assert runs["\u206613:00–15:00\u2069"].rPr.find(qn("w:rtl")) is None
    others = [r for text, r in runs.items() if not text.startswith("\u2066")]
    assert others and all(r.rPr.find(qn("w:rtl")) is not None for r in others)


def test_a_span_across_a_change_of_the_clocks_names_each_time_its_zone():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from agenda.render.language import Words

    geneva = ZoneInfo("Europe/Zurich")  # the clocks go back at 03:00 CEST on 29 October 2023
    start, end = datetime(2023, 10, 29, 1, 30, tzinfo=geneva), datetime(2023, 10, 29, 3, 30, tzinfo=geneva)
    assert Words("fr").zoned_span(start, end) == ("01:30 heure d’été d’Europe centrale\u2009–\u2009"
                                                  "03:30 heure normale d’Europe centrale")
    assert Words("zh").zoned_span(start, end) == "01:30 中欧夏令时间 – 03:30 中欧标准时间"
