"""The agenda, schedule and pack in the UN's languages: `--lang`, the meeting's `language`,
translated titles (`title_fr = "…"`), CLDR dates and durations, right-to-left Arabic.

Expected words are written here by hand from how each language writes dates (checked against
GNU `date` for the weekday, and against CLDR's published patterns for the spacing it uses), not
copied from a run: 19 October 2023 is a Thursday (`date -d 2023-10-19 +%A`), 26 September 2023 a
Tuesday. CLDR puts no-break spaces where French typography wants them: U+202F (narrow) before
`h` and inside `12 h`, U+00A0 before `min`, U+2009 (thin) around the en dash of a span.
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from html.parser import HTMLParser

import docx
import pytest
from docx.oxml.ns import qn
from icalendar import Calendar

from agenda.read.load import load_meeting
from agenda.render.agenda_doc import agenda_document, to_docx_bytes, to_html, to_markdown
from tests.conftest import PREP_MEETING

NNBSP, NBSP, THIN = "\u202f", "\u00a0", "\u2009"


def weekday(day: str) -> str:
    """The oracle for the weekday: GNU date, in English."""
    return subprocess.run(["date", "-d", day, "+%A"], capture_output=True, text=True, check=True,
                          env={"LC_ALL": "C", "TZ": "UTC"}).stdout.strip()


@pytest.fixture
def translated(write):
    """PREP_MEETING with translated titles for the meeting, the autumn segment and two items."""
    text = PREP_MEETING.replace('title = "Test <Meeting> & Co"\n',
                                'title = "Test <Meeting> & Co"\ntitle_fr = "Réunion d’essai"\n'
                                'title_ar = "اجتماع تجريبي"\n', 1)
    text = text.replace('title = "Autumn Segment"\n', 'title = "Autumn Segment"\ntitle_fr = "Séance d’automne"\n'
                        'title_es = "Sesión de otoño"\n', 1)
    text = text.replace('title = "Opening"\n', 'title = "Opening"\ntitle_fr = "Ouverture"\ntitle_ar = "الافتتاح"\n', 1)
    text = text.replace('title = "Post-2020 framework"\n',
                        'title = "Post-2020 framework"\ntitle_fr = "Cadre pour l’après-2020"\n', 1)
    return write("translated.toml", text)


# --- the document, in memory --------------------------------------------------------------------

def test_french_dates_zone_durations_and_words(translated):
    assert weekday("2023-10-19") == "Thursday"
    doc = agenda_document(load_meeting(translated), ["autumn"], lang="fr")
    seg = doc.segments[0]
    assert doc.meeting_title == "Réunion d’essai" and seg.title == "Séance d’automne"
    assert seg.date_text == "jeudi 19 octobre 2023"
    # CEST in French is "heure d’été d’Europe centrale"; UTC is two hours behind
    assert seg.time_text == f"10:00{THIN}–{THIN}12:00 heure d’été d’Europe centrale (08:00{THIN}–{THIN}10:00 UTC)"
    titles = [e.title for e in seg.entries()]
    assert titles == ["Ouverture", "Biodiversity", "Cadre pour l’après-2020", "Business & biodiversity",
                      "Any other business"]  # untranslated titles stay as the file writes them
    assert seg.warnings[0] == (f"Attention : la durée prévue des points (2{NNBSP}h 10{NBSP}min) dépasse celle de "
                               f"la séance (2{NNBSP}h) de 10{NBSP}min.")
    md = to_markdown(doc)
    assert "## Ordre du jour provisoire" in md and "## Annotations" in md
    assert "- **Date :** jeudi 19 octobre 2023" in md  # French sets a space before a colon
    assert "- **Présidence :** The Chair" in md and "- **En ligne :** https://example.org/join?a=1&b=2" in md
    assert "Distribution : EMG Members" in md and "**Point 2.** UNEP reports on the IMG." in md
    assert f"2. Biodiversity — 10:10 (1{NNBSP}h); chef de file : UNEP; documents : EMG/TEST/1/2, EMG/TEST/1/3" in md


def test_spanish_and_russian_and_chinese_dates(translated):
    meeting = load_meeting(translated)
    es = agenda_document(meeting, ["autumn"], lang="es").segments[0]
    assert es.title == "Sesión de otoño" and es.date_text == "jueves, 19 de octubre de 2023"
    assert es.time_text.startswith("10:00–12:00 hora de verano de Europa central (")
    ru = agenda_document(meeting, ["autumn"], lang="ru").segments[0]
    assert ru.title == "Autumn Segment" and ru.date_text == f"четверг, 19 октября 2023{NNBSP}г."
    zh = agenda_document(meeting, ["autumn"], lang="zh").segments[0]
    assert zh.date_text == "2023年10月19日星期四" and "中欧夏令时间" in zh.time_text


def test_the_six_languages_leave_no_english_fixed_word(translated):
    meeting = load_meeting(translated)
    # ("Annotations" is French too; "The Chair" is the file's own name of the chair)
    english = ("Provisional agenda", "**Venue:**", "**Chair:**", "Warning", "Distribution:", "lead:", "Item 2.")
    for lang in ("fr", "es", "ar", "zh", "ru"):
        md = to_markdown(agenda_document(meeting, lang=lang))
        assert not [w for w in english if w in md], lang
        assert "to be announced" not in to_markdown(agenda_document(meeting, ["monday"], lang=lang)), lang


def test_english_is_what_it_was(translated, prep_file):
    """Translations in the file change nothing in English (the golden files hold the rest)."""
    plain, with_titles = (to_markdown(agenda_document(load_meeting(p))) for p in (prep_file, translated))
    assert plain == with_titles


# --- Arabic: right to left -----------------------------------------------------------------------

class _Root(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "html" and self.html is None:
            self.html = dict(attrs)


def root_of(text: str) -> dict:
    parser = _Root()
    parser.feed(text)
    assert parser.html is not None
    return parser.html


def test_arabic_html_is_right_to_left_and_says_its_language(translated):
    meeting = load_meeting(translated)
    html = to_html(agenda_document(meeting, ["autumn"], lang="ar"))
    assert root_of(html) == {"lang": "ar", "dir": "rtl"}
    assert "<h2>جدول الأعمال المؤقت</h2>" in html and "اجتماع تجريبي" in html and "الافتتاح" in html
    assert weekday("2023-10-19") == "Thursday" and "الخميس، 19 أكتوبر 2023" in html  # الخميس: Thursday
    assert root_of(to_html(agenda_document(meeting, lang="fr"))) == {"lang": "fr"}
    assert root_of(to_html(agenda_document(meeting))) == {"lang": "en"}


def test_arabic_word_document_is_right_to_left_when_read_back(translated):
    data = to_docx_bytes(agenda_document(load_meeting(translated), lang="ar"))
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    paragraphs = list(body.iter(qn("w:p")))
    assert paragraphs and all(p.pPr is not None and p.pPr.find(qn("w:bidi")) is not None for p in paragraphs)
    runs = list(body.iter(qn("w:r")))
    assert runs and all(r.rPr is not None and r.rPr.find(qn("w:rtl")) is not None for r in runs)
    assert all(r.rPr.find(qn("w:lang")).get(qn("w:bidi")) == "ar" for r in runs)
    assert all(s.find(qn("w:bidi")) is not None for s in body.iter(qn("w:sectPr")))
    assert all(t.find(qn("w:bidiVisual")) is not None for t in body.iter(qn("w:tblPr")))
    # the schema's order: w:bidi before the paragraph's justification and run properties
    for p in paragraphs:
        tags = [c.tag for c in p.pPr]
        for later in ("w:jc", "w:ind", "w:spacing", "w:rPr"):
            if qn(later) in tags:
                assert tags.index(qn("w:bidi")) < tags.index(qn(later))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "جدول الأعمال المؤقت" in text and document.core_properties.language == "ar"
    with zipfile.ZipFile(io.BytesIO(to_docx_bytes(agenda_document(load_meeting(translated), lang="fr")))) as z:
        assert b"w:bidi" not in z.read("word/document.xml")  # French stays left to right


# --- the command line ----------------------------------------------------------------------------

def test_agenda_lang_and_the_meetings_language(runner, translated, write):
    result = runner("agenda", translated, "--lang", "fr", "--format", "md", "--segment", "autumn")
    assert result.exit_code == 0 and "# Séance d’automne" in result.output
    spanish = write("es.toml", translated.read_text(encoding="utf-8").replace(
        'timezone = "Europe/Zurich"\n', 'timezone = "Europe/Zurich"\nlanguage = "es"\n', 1))
    result = runner("agenda", spanish, "--format", "md", "--segment", "autumn")
    assert "## Programa provisional" in result.output and "jueves, 19 de octubre de 2023" in result.output
    assert "# Sesión de otoño" in result.output
    result = runner("agenda", spanish, "--lang", "en", "--format", "md", "--segment", "autumn")
    assert "## Provisional agenda" in result.output


@pytest.mark.parametrize("command", [("agenda",), ("schedule",), ("build", "-o", "pack")])
@pytest.mark.parametrize("lang", ["de", "fr,xx", "FR", ""])
def test_an_unknown_language_is_one_line_naming_the_six(runner, tmp_path, monkeypatch, command, lang):
    monkeypatch.chdir(tmp_path)
    result = runner(*command, "--lang", lang)
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "--lang" in line and "en, fr, es, ar, zh, ru" in line
    assert not (tmp_path / "pack").exists()


def test_schedule_in_french_keeps_json_and_csv_english(runner, translated):
    table = runner("schedule", translated, "--lang", "fr", "--format", "md", "--segment", "autumn").output
    assert "### Séance d’automne — jeu. 19 oct. 2023 10:00–12:00 CEST Geneva" in table
    assert "| Sigle | Ville | Décalage UTC | Heure locale | Jour | Heures de travail |" in table
    assert "| UNEP | Nairobi | UTC+03:00 | 11:00–13:00 EAT |  | dans les heures |" in table
    assert "membres sur" in table
    for fmt in ("json", "csv"):
        english = runner("schedule", translated, "--format", fmt).output
        assert runner("schedule", translated, "--lang", "fr", "--format", fmt).output == english
    assert json.loads(runner("schedule", translated, "--lang", "fr", "--format", "json").output)[
        "segments"][0]["title"] == "Autumn Segment"


def test_build_writes_the_agenda_in_each_language_and_lists_it(runner, translated, tmp_path):
    pack = tmp_path / "pack"
    result = runner("build", translated, "-o", pack, "--lang", "en,fr,ar")
    assert result.exit_code == 0, result.output
    agenda = sorted(str(p.relative_to(pack)) for p in (pack / "agenda").rglob("*") if p.is_file())
    segments = ("autumn", "monday", "spring")
    assert agenda == sorted([f"agenda/{s}.{x}" for s in segments for x in ("md", "html", "docx")]
                            + [f"agenda/{lang}/{s}.{x}" for lang in ("fr", "ar") for s in segments
                               for x in ("md", "html", "docx")])
    index = (pack / "index.md").read_text(encoding="utf-8")
    for name in ("agenda/autumn.md", "agenda/fr/autumn.md", "agenda/ar/autumn.docx"):
        assert f"[{name}]({name})" in index
    assert "provisional agenda in French, Autumn Segment" in index
    assert "# Séance d’automne" in (pack / "agenda" / "fr" / "autumn.md").read_text(encoding="utf-8")
    assert root_of((pack / "agenda" / "ar" / "autumn.html").read_text(encoding="utf-8"))["dir"] == "rtl"
    assert "## Provisional agenda" in (pack / "agenda" / "autumn.md").read_text(encoding="utf-8")
    again = runner("build", translated, "-o", pack, "--lang", "en,fr,ar")
    assert again.exit_code == 0 and " written" not in again.output  # the same bytes on a re-run


def test_build_writes_the_checklist_and_page_in_the_first_language(runner, translated, tmp_path):
    pack = tmp_path / "pack"
    assert runner("build", translated, "-o", pack, "--lang", "fr,en").exit_code == 0
    assert root_of((pack / "index.html").read_text(encoding="utf-8"))["lang"] == "fr"
    checklist = (pack / "checklist.md").read_text(encoding="utf-8")
    assert checklist.startswith("### Liste de préparation") and "| Échéance |" in checklist
    assert "# Séance d’automne" in (pack / "agenda" / "autumn.md").read_text(encoding="utf-8")
    assert "## Provisional agenda" in (pack / "agenda" / "en" / "autumn.md").read_text(encoding="utf-8")


def test_build_without_lang_writes_one_language(runner, translated, tmp_path):
    pack = tmp_path / "pack"
    assert runner("build", translated, "-o", pack).exit_code == 0
    assert not [p for p in (pack / "agenda").iterdir() if p.is_dir()]


# --- per-member invitations read the translations -----------------------------------------------

def test_a_french_member_gets_the_translated_titles(runner, translated, write, tmp_path):
    write("members.toml", """
        extends = "un-entities"
        [[member]]
        id = "unep"
        language = "fr"
        emails = ["unep@example.org"]
        [[member]]
        id = "undp"
        emails = ["undp@example.org"]
    """)
    path = write("m.toml", translated.read_text(encoding="utf-8").replace(
        'members = "un-entities"', 'members = "members.toml"'))
    out = tmp_path / "out"
    assert runner("invite", path, "-o", out, "--segment", "autumn", "--eml").exit_code == 0
    french = out / "members" / "unep" / "test-prep-autumn.ics"
    english = out / "members" / "undp" / "test-prep-autumn.ics"
    event = next(c for c in Calendar.from_ical(french.read_bytes()).walk("VEVENT"))
    assert str(event["SUMMARY"]) == "Réunion d’essai — Séance d’automne"
    assert event["SUMMARY"].params["LANGUAGE"] == "fr"
    assert "1. Ouverture" in str(event["DESCRIPTION"]) and "(a) Cadre pour l’après-2020" in str(event["DESCRIPTION"])
    event = next(c for c in Calendar.from_ical(english.read_bytes()).walk("VEVENT"))
    assert str(event["SUMMARY"]) == "Test <Meeting> & Co — Autumn Segment" and "LANGUAGE" not in event["SUMMARY"].params
    import email
    from email import policy

    message = email.message_from_bytes(french.with_suffix(".eml").read_bytes(), policy=policy.default)
    assert "Réunion d’essai — Séance d’automne" in str(message["Subject"])


def test_a_corrected_translation_updates_the_invitation_as_a_changed_agenda_does(runner, translated, tmp_path):
    import tomllib

    out = tmp_path / "out"
    assert runner("invite", translated, "-o", out, "--segment", "autumn").exit_code == 0
    first = tomllib.loads((out / "som-issued.toml").read_text(encoding="utf-8"))
    translated.write_text(translated.read_text(encoding="utf-8").replace("Séance d’automne", "Session d’automne"),
                          encoding="utf-8")
    assert runner("invite", translated, "-o", out, "--segment", "autumn").exit_code == 0
    second = tomllib.loads((out / "som-issued.toml").read_text(encoding="utf-8"))
    before, after = (record["segment"]["autumn"] for record in (first, second))
    assert after["detail"] != before["detail"] and after["dtstamp"] > before["dtstamp"]
    assert after["sequence"] == before["sequence"] == 0 and after["fingerprint"] == before["fingerprint"]
