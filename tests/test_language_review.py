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


def invite_one_member(folder: Path, member: str, lang: str, *extra: str, title_fr: str = "") -> Path:
    """`som invite` on SOM29 with one member who reads `lang` (and a French title and an online link
    for the technical segment when `title_fr` is given); the folder of that member's files."""
    (folder / "members.toml").write_text(f'extends = "un-entities"\n[[member]]\nid = "{member}"\n'
                                         f'emails = ["focal.point@{member}.example.org"]\nlanguage = "{lang}"\n',
                                         encoding="utf-8")
    meeting = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
    meeting = meeting.replace('\nmembers = "un-entities"', '\nmembers = "members.toml"')
    if title_fr:
        meeting = meeting.replace('title = "Technical Segment"\n', f'title = "Technical Segment"\ntitle_fr = "{title_fr}"\n'
                                  'online_url = "https://meet.example.org/som29"\n', 1)
    (folder / "som.toml").write_text(meeting, encoding="utf-8")
    result = CliRunner().invoke(som, ["invite", str(folder / "som.toml"), "-o", str(folder / "out"), *extra],
                                env={"SOURCE_DATE_EPOCH": "1693569600"})
    assert result.exit_code == 0, result.output
    return folder / "out" / "members" / member


@pytest.fixture(scope="module")
def arabic_mail(tmp_path_factory) -> Path:
    """An Arabic member's invitation e-mail (ESCWA, Beirut: 16:00–18:00 there, one hour ahead)."""
    return invite_one_member(tmp_path_factory.mktemp("ar-mail"), "escwa", "ar", "--eml") / "emg-som29-technical.eml"


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


# --- one word for one thing in each catalog -------------------------------------------------------

def _catalog(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with open(ROOT / "agenda" / "locale" / lang / "LC_MESSAGES" / "som.po", "rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


# The word for "segment" as the UN writes it in each language ("high-level segment": débat de haut
# niveau, serie de sesiones de alto nivel, الجزء الرفيع المستوى, 高级别会段, этап заседаний высокого уровня),
# as a stem every form holds, and the words it replaced, which no phrase about a segment may hold.
SEGMENT = {"fr": ("débat", ("séance", "segment")), "es": ("serie", ("sesión", "segmento")),
           "ar": ("جز", ("الجلسة",)), "zh": ("会段", ("会议",)), "ru": ("этап", ("заседани", "сегмент"))}


@pytest.mark.parametrize("lang", sorted(SEGMENT))
def test_a_segment_has_one_name_in_each_language(lang):
    stem, others = SEGMENT[lang]
    catalog = _catalog(lang)
    import re

    assert stem in catalog["Segment"].casefold()

    # every phrase that names a segment in words (not a title in a `{segment}` placeholder)
    about = {mid: text for mid, text in catalog.items() if re.search(r"(?<!\{)\bsegments?\b", mid, re.I)}
    assert len(about) >= 8, sorted(about)
    for mid, text in about.items():
        text = re.sub(r"\{\w+\}", "", text)  # placeholders stay English
        assert stem in text.casefold(), (mid, text)
        assert not any(o in text.casefold() for o in others), (mid, text)


@pytest.mark.parametrize("lang", sorted(SEGMENT))
def test_a_lead_and_a_chair_are_named_as_their_columns_name_them(lang):
    import re

    catalog = _catalog(lang)
    for word, phrase in (("Lead", "lead: {lead}"), ("Chair", "Chair: {chair}")):
        before_colon = re.split(r"\s*[:：]", catalog[phrase])[0]
        assert before_colon.casefold() == catalog[word].casefold(), (word, catalog[word], catalog[phrase])


def test_spanish_says_dia_festivo_everywhere():
    catalog = _catalog("es")
    holidays = {mid: text for mid, text in catalog.items() if "holiday" in mid.replace("{holiday}", "").casefold()
                and "`holidays`" not in mid}
    assert len(holidays) >= 6
    assert all("feriado" not in text.casefold() for text in holidays.values()), holidays
    assert all("festivo" in text.casefold() for text in holidays.values()), holidays


def _page(lang: str, tmp_path: Path) -> str:
    from agenda.app.build import page_files

    files = {f.name: f.data for f in page_files(load_meeting(), tmp_path, [], None, lang=lang)}
    return files["index.html"].decode("utf-8")


def test_the_french_page_words_a_title_without_an_article(tmp_path):
    html = _page("fr", tmp_path)
    assert "Afficher votre heure dans le fuseau :" in html and "selon le" not in html
    assert "Heure locale de chaque membre — Technical Segment" in html  # SOM29's titles are English only
    assert _catalog("fr")["(from {title})"] == "(de {title})"  # the webcal link's, on a page with a base URL
    assert "pour Technical Segment" not in html


def test_spanish_and_russian_words_the_reviewer_asked_for():
    es, ru = _catalog("es"), _catalog("ru")
    assert es["UTC offset"] == "Diferencia con UTC"
    # a task is "una tarea": every "done" agrees with it
    assert [es[m] for m in ("done", "done: {n}", "Done: {task}", "✓ done")] == ["hecha", "hechas: {n}", "Hecha: {task}",
                                                                               "✓ hecha"]
    assert all("вне рабочего времени" in ru[m] for m in ("outside", ", {outside} outside", ", {n} outside", "✗ outside"))


def test_separators_are_the_languages_own(tmp_path):
    """(The French agenda, checklist and page lines are held in test_agenda_language.py,
    test_checklist_language.py and test_page_language.py: `chef de file : UNEP ; documents : …`.)"""
    from agenda.render.agenda_doc import COMMAS, SEMICOLONS
    from agenda.render.language import Words

    # joined two at a time by the catalog's phrase: Arabic's semicolon and comma, Chinese full-width ones
    assert Words("ar").joined(["أ", "ب", "ج"], SEMICOLONS) == "أ؛ ب؛ ج"
    assert Words("zh").joined(["甲", "乙"], COMMAS) == "甲，乙"
    assert Words("fr").joined(["a", "b"], SEMICOLONS) == "a ; b"
    assert Words("en").joined(["a", "b", "c"], SEMICOLONS) == "a; b; c"
    html = _page("zh", tmp_path)
    assert '<a href="#technical">Technical Segment</a>：' in html


# --- no English left in translated output ------------------------------------------------------

@pytest.fixture(scope="module")
def french_invitation(tmp_path_factory) -> Path:
    """UNEP reads French; the technical segment has a French title and an online link."""
    folder = invite_one_member(tmp_path_factory.mktemp("fr-ics"), "unep", "fr", title_fr="Débat technique")
    return folder / "emg-som29-technical.ics"


def _unfolded(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_a_french_invitation_labels_its_link_and_alarm_in_french(french_invitation):
    from tests.parsers import all_parsers_agree

    lines = _unfolded(french_invitation)
    [conference] = [line for line in lines if line.startswith("CONFERENCE")]
    assert "LABEL=Participer en ligne" in conference and ";LANGUAGE=fr" in conference, conference
    alarm = lines[lines.index("BEGIN:VALARM"):lines.index("END:VALARM")]
    assert any(line.startswith("DESCRIPTION;LANGUAGE=fr:") and "Débat technique" in line for line in alarm), alarm
    seen = all_parsers_agree(french_invitation)  # the five parsers still read it, and agree
    assert seen and all(events for events in seen.values())


def test_an_english_invitation_keeps_its_english_label(french_invitation):
    lines = _unfolded(french_invitation.parent.parent.parent / "emg-som29-technical.ics")
    [conference] = [line for line in lines if line.startswith("CONFERENCE")]
    assert "LABEL=Join online" in conference and "LANGUAGE" not in conference


def test_the_schedule_svg_and_the_calendar_links_are_in_the_page_language(tmp_path):
    from agenda.app.build import page_files

    files = {f.name: f.data.decode("utf-8") for f in page_files(load_meeting(), tmp_path, [], None, lang="fr")}
    svg = files["schedule.svg"]
    assert "chaque débat dans chaque ville des membres" in svg and "every segment" not in svg
    assert "Une ligne par ville des membres" in svg and "One row per member city" not in svg
    assert ">Google Agenda<" in files["index.html"] and "Google Calendar" not in files["index.html"]


@pytest.mark.parametrize(("lang", "tag"), [("fr", "fr-FR"), ("es", "es-ES"), ("ar", "ar-SA"), ("zh", "zh-CN"),
                                           ("ru", "ru-RU"), ("en", "en-US")])
def test_a_word_agenda_is_proofed_in_its_language(lang, tag):
    import zipfile

    data = to_docx_bytes(agenda_document(load_meeting(), ["technical"], lang=lang))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    import re

    [language] = re.findall(r"<w:lang [^>]*/>", styles)
    attributes = dict(re.findall(r'w:(\w+)="([^"]*)"', language))
    if lang == "en":  # as python-docx's template has always written it
        assert attributes == {"val": "en-US", "eastAsia": "en-US", "bidi": "ar-SA"}
    else:
        assert attributes == {"val": tag, "eastAsia": tag, "bidi": tag}


# --- RFC 2047 -------------------------------------------------------------------------------------

ARABIC_SUBJECT = ("دعوة: الاجتماع التاسع والعشرون لكبار المسؤولين في فريق إدارة البيئة — الجزء التقني، "
                  "الثلاثاء 26 سبتمبر 2023 16:00–18:00 EEST")


@pytest.mark.parametrize("cut", range(0, 60, 3))
def test_every_encoded_word_of_a_long_arabic_subject_is_at_most_75_characters(cut):
    import re
    from datetime import datetime, timezone

    from agenda.model.meeting import Person
    from agenda.render.mime import Invitation, eml_bytes

    subject = " ".join((ARABIC_SUBJECT[:cut] + " " + ARABIC_SUBJECT).split())  # cuts move the words' boundaries
    inv = Invitation("members/escwa/x.ics", b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "REQUEST", "uid@example.org", 0,
                     datetime(2023, 9, 1, tzinfo=timezone.utc), Person("EMG Secretariat", "emg@example.org"),
                     (Person("ESCWA", "focal.point@escwa.example.org"),), subject, "نص")
    raw = eml_bytes(inv)
    words = re.findall(rb"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=", raw.split(b"\r\n\r\n")[0])
    assert words and max(len(w) for w in words) <= 75, max(words, key=len)
    assert email.message_from_bytes(raw, policy=policy.default)["Subject"] == subject


def test_the_page_describes_the_pack_files_in_its_language_and_index_md_in_english(runner, tmp_path):
    meeting = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
    path = tmp_path / "som.toml"
    path.write_text(meeting.replace('title = "Technical Segment"\n',
                                    'title = "Technical Segment"\ntitle_fr = "Débat technique"\n', 1), encoding="utf-8")
    result = runner("build", path, "-o", tmp_path / "pack", "--lang", "fr,es")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    footer = page[page.index("<footer>"):page.index("</footer>")]
    assert ('<a href="schedule.md">schedule.md</a> : chaque débat à l’heure locale de chaque membre' in footer)
    assert "ordre du jour provisoire, Débat technique" in footer  # the meeting file's French title
    assert "ordre du jour provisoire en espagnol, Débat technique" in footer  # Spanish, named in French
    assert "invitation à Débat technique (à importer)" in footer
    assert "member" not in footer and "the same" not in footer
    index = (tmp_path / "pack" / "index.md").read_text(encoding="utf-8")
    assert "| [schedule.md](schedule.md) | every segment in each member's local time |" in index
    assert "provisional agenda in Spanish, Technical Segment" in index


def test_a_translated_invitation_across_a_change_of_the_clocks_names_each_times_zone(tmp_path):
    from agenda.render.invitation import time_lines
    from agenda.render.language import Words

    text = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
    assert 'date = 2023-09-26\ntime = "15:00-17:00 CEST"' in text
    path = tmp_path / "som.toml"  # Geneva's clocks go back at 03:00 CEST on 29 October 2023
    path.write_text(text.replace('date = 2023-09-26\ntime = "15:00-17:00 CEST"', 'date = 2023-10-29\ntime = "01:30-03:30"'),
                    encoding="utf-8")
    meeting = load_meeting(path)
    [segment] = [s for s in meeting.segments if s.id == "technical"]
    assert time_lines(meeting, segment, None, Words("fr"))[1] == (
        "Geneva : 01:30 heure d’été d’Europe centrale\u2009–\u200903:30 heure normale d’Europe centrale = "
        "23:30\u2009–\u200902:30 (+1\u00a0jour) UTC")  # `TZ=UTC date -d '2023-10-29 01:30 CEST'`: 23:30 the day before
    assert time_lines(meeting, segment, None)[1] == "01:30–03:30 Geneva (CEST/CET) = 23:30–02:30 (+1 day) UTC"
