"""The meeting page in a language, read as a file: our phrases from the catalogs, CLDR's dates,
`<html lang dir>`, the Content-Security-Policy still naming the style and script it carries,
and the script's English words and date replaced. Expected words are written here by hand.
The page in a browser (the viewer's own time in French, Arabic right to left, axe-core):
tests/test_page_language_browser.py."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from agenda.app.build import page_files
from agenda.model.meeting import LANGUAGES
from agenda.read.load import load_meeting
from agenda.render.page import SCRIPT, PageInput, Say, page_html, script_in
from tests.conftest import PREP_MEETING
from tests.test_page import Page

ENGLISH_PHRASES = ("Add to calendar", "Your time", "Members’ local times", "Show your time in", "Provisional agenda",
                   "The day in every member city", "Skip to the segments", "members inside working hours")


@pytest.fixture(scope="module")
def som29():
    return load_meeting()


def test_a_french_page_says_our_phrases_and_dates_in_french(som29):
    html = page_html(PageInput(som29, lang="fr"))
    assert '<html lang="fr">' in html and "dir=" not in html.split("<head>")[0]
    for phrase in ("Ajouter au calendrier", "Votre heure", "Heures locales des membres", "Ordre du jour provisoire",
                   "La journée dans chaque ville des membres", "Aller aux débats", "Heure de Geneva",
                   "<title>29th Meeting of the EMG Senior Officials : page de la réunion</title>"):
        assert phrase in html, phrase
    assert not [p for p in ENGLISH_PHRASES if p in html]
    # CLDR's French short date, and a member's local day: Tue 26 Sep in Montreal
    assert '<a href="#technical">Technical Segment</a> : mar. 26 sept. 2023, 15:00–17:00 CEST, Geneva</li>' in html
    assert "<td>mar. 26 sept., 09:00–11:00 EDT</td>" in html
    # the same counts as the English page (tests/test_page.py checks them), in French words
    english = re.findall(r"<p>(\d+) of (\d+) members inside working hours(?:, (\d+) partly)?(?:, (\d+) outside)?\.</p>",
                         page_html(PageInput(som29)))
    french = re.findall(r"<p>(\d+) membres sur (\d+) pendant leurs heures de travail(?:, (\d+) en partie)?"
                        r"(?:, (\d+) en dehors)?\.</p>", html)
    assert len(english) == len(som29.segments) and french == english


def test_an_arabic_page_reads_right_to_left_with_its_times_left_to_right(som29):
    html = page_html(PageInput(som29, lang="ar"))
    assert '<html lang="ar" dir="rtl">' in html
    assert "إضافة إلى التقويم" in html and "التوقيت المحلي للأعضاء" in html
    assert not [p for p in ENGLISH_PHRASES if p in html]
    # a span of times isolated (LRI … PDI) so that 15:00–17:00 is not shown as 17:00–15:00
    assert "الثلاثاء، 26 سبتمبر 2023، \u206615:00–17:00 CEST\u2069، Geneva" in html
    assert "th, td { text-align: right; }" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_policy_names_the_style_and_script_the_page_carries(som29, lang):
    page = Page(page_html(PageInput(som29, lang=lang, internal=True)))
    [policy] = [a["content"] for tag, a, _ in page.elements if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    for text in page.styles + page.scripts:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        assert f"'sha256-{digest}'" in policy


def test_english_keeps_its_script_byte_for_byte():
    assert script_in(Say("en")) == SCRIPT.strip("\n") + "\n"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_english_word_and_date_of_the_script_is_replaced(lang):
    js = script_in(Say(lang))
    for english in ("same day as in", '" day"', '"on "', "this device", "members shown", "a.weekday + "):
        assert english not in js, english
    assert f'var LANG = "{lang}-u-nu-latn"' in js and "Intl.DateTimeFormat(LANG, {timeZone: zone, weekday: \"long\"" in js


def test_the_secretariat_page_in_spanish_lists_its_tasks_in_spanish(som29):
    html = page_html(PageInput(som29, lang="es", internal=True))
    assert "<h3 id=\"technical-prep\">Preparación (secretaría)</h3>" in html
    assert "<td>lun, 31 jul 2023</td><td>Enviar las invitaciones y el aviso de reserva de fecha</td><td>Secretaría</td>" in html


def test_the_pack_page_is_in_the_meeting_language_unless_told(tmp_path):
    path = tmp_path / "es.toml"
    path.write_text(PREP_MEETING.replace("[meeting]\n", '[meeting]\nlanguage = "es"\n', 1), encoding="utf-8")
    meeting = load_meeting(path)
    [page] = [f for f in page_files(meeting, tmp_path, [], None) if f.name == "index.html"]
    assert b'<html lang="es">' in page.data and "Añadir al calendario".encode() in page.data
    [page] = [f for f in page_files(meeting, tmp_path, [], None, lang="en") if f.name == "index.html"]
    assert b'<html lang="en">' in page.data and b"Add to calendar" in page.data


def test_the_bands_speak_the_page_language(som29):
    html = page_html(PageInput(som29, lang="fr"))
    svg = html[html.index('<svg'):html.index('</svg>')]
    # Tokyo's row crosses local midnight into Wednesday 27 September during the technical segment
    assert 'font-weight="bold">mer.</text>' in svg
    assert ">réunion</text>" in svg and ">heures de travail</text>" in svg and ">la réunion</text>" in svg
    assert "mar. 26 sept. 2023, 15:00–17:00 CEST (13:00–15:00 UTC)" in html
    assert not [w for w in ("meeting</text>", "working hours", "Tue 26 Sep", ">Wed<") if w in svg]
    arabic = page_html(PageInput(som29, lang="ar"))
    # right-to-left words isolated in the bands' left-to-right lines (FSI … PDI)
    assert ">\u2068الاجتماع\u2069</text>" in arabic
    assert "\u2068الثلاثاء، 26 سبتمبر 2023\u2069, 15:00–17:00 CEST" in arabic


def test_the_page_uses_the_meeting_file_s_titles_and_the_agenda_s_own_words(tmp_path):
    path = tmp_path / "titles.toml"
    path.write_text(PREP_MEETING.replace('title = "Autumn Segment"\n', 'title = "Autumn Segment"\ntitle_es = "Sesión de otoño"\n')
                    .replace('title = "Biodiversity"\n', 'title = "Biodiversity"\ntitle_es = "Biodiversidad"\n'),
                    encoding="utf-8")
    html = page_html(PageInput(load_meeting(path), lang="es"))
    assert '<h2 id="autumn-h"><span class="title">Sesión de otoño</span></h2>' in html
    assert "Autumn Segment" not in html
    # the agenda table as `som agenda --lang es` words it: its column names and the item's translation
    assert "<td>Biodiversidad</td>" in html and '<th scope="col">Tema</th>' in html


def test_a_day_kept_free_of_meetings_is_said_in_the_page_language(tmp_path):
    # Mon 25 Sep 2023 (GNU `date -d 2023-09-25 +%A`: Monday) is Yom Kippur, a day resolution 69/250
    # keeps free of meetings: the page says so in its language; the holiday's name and source stay.
    path = tmp_path / "m.toml"
    path.write_text('[meeting]\nid = "m"\ntitle = "M"\ntimezone = "Europe/Zurich"\nmembers = "un-entities"\n\n'
                    '[[segment]]\nid = "s"\ntitle = "Senior segment"\ndate = 2023-09-25\ntime = "15:00-17:00"\n',
                    encoding="utf-8")
    meeting = load_meeting(path)
    english = page_html(PageInput(meeting, lang="en"))
    assert ("Mon 25 Sep 2023 is Yom Kippur, a day the General Assembly asks to keep free of meetings "
            "(resolution 69/250) — source: ") in english
    french = page_html(PageInput(meeting, lang="fr"))
    assert ("lun. 25 sept. 2023 est Yom Kippur, un jour que l’Assemblée générale demande de garder libre de "
            "réunions (résolution 69/250) — source : ") in french
    assert "asks to keep free" not in french
    spanish = page_html(PageInput(meeting, lang="es"))
    assert "Yom Kippur, un día que la Asamblea General pide mantener libre de reuniones (resolución 69/250)" in spanish


def test_the_page_s_kept_free_phrases_are_the_ones_som_check_builds():
    # The page names them for the catalogs; check.py builds its findings from its own constants.
    # Were they to drift apart, a translated page would fall back to English without a word.
    from agenda.plan.check import KEPT_FREE_ON, MAYBE_KEPT_FREE_ON
    from agenda.render.page import KEPT_FREE_NOTES

    assert KEPT_FREE_NOTES == (KEPT_FREE_ON, MAYBE_KEPT_FREE_ON)
