"""`som checklist --lang`: the template's titles and our phrases from the catalogs, CLDR's dates
and weekdays, LANGUAGE= on the .ics text, the meeting's language as the default, and the
French and Arabic .ics read alike by the five parsers. Expected words are written here by hand.
"""

import json

import icalendar
import pytest

from agenda.plan.checklist import TEMPLATE
from agenda.render.checklist import TEMPLATE_TITLES
from tests import parsers, som29
from tests.conftest import PREP_MEETING


def test_every_template_title_is_named_for_the_catalogs():
    assert [t.title for t in TEMPLATE] == list(TEMPLATE_TITLES)


def test_french_table_words_dates_and_weekdays(run):
    result = run("checklist", "--lang", "fr", "--today", "2023-09-20", "--format", "md")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("### Liste de préparation — 29th Meeting of the EMG Senior Officials (au 20 septembre 2023)\n")
    assert "| Échéance | Jour | Séance | Tâche | Responsable | Statut | Remarque |" in text
    # technical's T−8w, Tue 1 Aug 2023 (Swiss National Day), moved to Monday 31 July
    assert ("| 2023-07-31 | lun. | technical | Envoyer les invitations et l’annonce de la date | Secrétariat | "
            "en retard | avancée du 1 août 2023 (National Day, jour férié à Geneva) |") in text
    assert "| 2023-10-24 | mar. | senior | Publier le rapport final | Secrétariat | à faire |  |" in text
    # 14 overdue, 3 due this week, 24 open, 9 past (counted by hand in test_checklist.py)
    assert text.rstrip().endswith("en retard : 14; à échéance cette semaine : 3; à faire : 24; passées : 9; faites : 0")
    assert not any(t.title in text for t in TEMPLATE) and "Secretariat" not in text


def test_spanish_json_keeps_english_keys_and_status_codes(run):
    result = run("checklist", "--lang", "es", "--today", "2023-09-20", "--format", "json")
    data = json.loads(result.output)
    task = next(t for t in data["tasks"] if t["id"] == "senior.submit-documents")
    assert task["title"] == "Presentar los documentos anteriores al período de sesiones para su tramitación"
    assert task["owner"] == "Secretaría" and task["status"] == "overdue"
    assert task["moved_reason"] == "National Day, día festivo en Geneva"
    assert set(task) == {"id", "title", "segment", "due", "owner", "done", "status", "overdue", "due_soon", "past",
                         "moved_from", "moved_reason"}


def test_lead_task_and_file_titles(run, prep_file):
    result = run("checklist", prep_file, "--lang", "fr", "--format", "json")
    titles = {t["id"]: t["title"] for t in json.loads(result.output)["tasks"]}
    # The item's title and the lead's acronym stay as the meeting file gives them.
    assert titles["autumn.input-2"] == "Demander la contribution de UNEP sur le point 2 : Biodiversity"


def test_the_meeting_language_is_the_default_and_lang_overrides_it(run, tmp_path):
    path = tmp_path / "es.toml"
    path.write_text(PREP_MEETING.replace('[meeting]\n', '[meeting]\nlanguage = "es"\n', 1), encoding="utf-8")
    spanish = run("checklist", path, "--format", "csv").output
    assert "Vencimiento,Día,Sesión,Tarea,Responsable,Estado,Nota" in spanish
    assert "Confirmar la previsión de documentos" in spanish
    english = run("checklist", path, "--format", "csv", "--lang", "en").output
    assert "ID,Due,Day,Segment,Task,Owner,Status,Note" in english


def test_lang_en_is_the_english_output(run):
    assert run("checklist", "--lang", "en", "--today", "2023-09-20").output == run("checklist", "--today", "2023-09-20").output


@pytest.mark.parametrize("code", ["de", "FR", "fr-CA", ""])
def test_an_unknown_language_is_one_line_naming_the_six(run, code):
    result = run("checklist", "--lang", code)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"som: error: --lang `{code}` is not a language som writes")
    assert lines[0].endswith("languages: en, fr, es, ar, zh, ru")


def test_one_language_at_a_time(run):
    result = run("checklist", "--lang", "en,fr")
    assert result.exit_code == 2 and "names more than one language" in result.output


@pytest.fixture(params=[("fr", False), ("ar", False), ("fr", True), ("ar", True)], ids=lambda p: f"{p[0]}-{'events' if p[1] else 'todos'}")
def translated_ics(request, run, tmp_path):
    lang, as_events = request.param
    path = tmp_path / f"prep-{lang}.ics"
    args = ["checklist", "--lang", lang, "--format", "ics", "-o", path] + (["--as-events"] if as_events else [])
    assert run(*args).exit_code == 0
    return lang, as_events, path


EXPECTED = {  # (the summary of technical.invitations, the calendar's name), written by hand
    "fr": ("Envoyer les invitations et l’annonce de la date — Technical Segment",
           "29th Meeting of the EMG Senior Officials : préparation"),
    "ar": ("إرسال الدعوات والإشعار بحجز الموعد — Technical Segment",
           "29th Meeting of the EMG Senior Officials: التحضير"),
}


def test_french_and_arabic_ics_are_read_alike_by_five_parsers(translated_ics):
    lang, as_events, path = translated_ics
    data = path.read_bytes()
    assert parsers.check_lines(data) == []
    seen = parsers.all_parsers_agree(path)  # uid, summary, dates and status, the same in each parser
    items = seen["ical.js"]
    assert len(items) == som29.TASKS
    kind = "deadline" if as_events else "todo"
    task = next(t for t in items if t.uid == f"{kind}.technical.invitations.emg-som29@som")
    assert task.summary == EXPECTED[lang][0]
    ok, problems = parsers.libical_restriction_check([path])[path]
    assert ok, problems


def test_translated_text_properties_say_their_language(translated_ics):
    lang, as_events, path = translated_ics
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(cal["NAME"]) == EXPECTED[lang][1] and cal["NAME"].params["LANGUAGE"] == lang
    components = cal.walk("VEVENT" if as_events else "VTODO")
    for component in components:
        assert component["SUMMARY"].params["LANGUAGE"] == lang
        assert component["DESCRIPTION"].params["LANGUAGE"] == lang
    # the segment's date by CLDR, the offset in words, the owner and the id
    task = next(c for c in components if str(c["UID"]).endswith("technical.invitations.emg-som29@som"))
    description = str(task["DESCRIPTION"]).split("\n")
    if lang == "fr":
        # CLDR writes "8 semaines" with a no-break space
        assert description == ["Technical Segment, 26 septembre 2023 : échéance 8\u00a0semaines avant le segment.",
                               "Responsable : Secrétariat.",
                               "Échéance avancée du 1 août 2023 (National Day, jour férié à Geneva).",
                               "Identifiant de la tâche : technical.invitations"]
    else:
        assert description[1:] == ["المسؤول: الأمانة.", "موعد الاستحقاق: قُدِّمت من 1 أغسطس 2023 (National Day، عطلة عامة في Geneva).",
                                   "معرّف المهمة: technical.invitations"]


def test_english_ics_has_no_language_parameter(run, tmp_path):
    path = tmp_path / "prep.ics"
    run("checklist", "--format", "ics", "-o", path)
    assert b"LANGUAGE=" not in path.read_bytes()


def test_the_meeting_file_s_translated_titles_are_used(run, tmp_path):
    text = (PREP_MEETING.replace('title = "Test <Meeting> & Co"\n', 'title = "Test <Meeting> & Co"\ntitle_fr = "Réunion d’essai"\n')
            .replace('title = "Autumn Segment"\n', 'title = "Autumn Segment"\ntitle_fr = "Segment d’automne"\n')
            .replace('title = "Biodiversity"\n', 'title = "Biodiversity"\ntitle_fr = "Biodiversité"\n'))
    path = tmp_path / "titles.toml"
    path.write_text(text, encoding="utf-8")
    data = json.loads(run("checklist", path, "--lang", "fr", "--format", "json").output)
    titles = {t["id"]: t["title"] for t in data["tasks"]}
    assert titles["autumn.input-2"] == "Demander la contribution de UNEP sur le point 2 : Biodiversité"
    md = run("checklist", path, "--lang", "fr", "--format", "md").output
    assert md.startswith("### Liste de préparation — Réunion d’essai (au ")
    ics = icalendar.Calendar.from_ical(run("checklist", path, "--lang", "fr", "--format", "ics").output)
    assert str(ics["NAME"]) == "Réunion d’essai : préparation"
    todo = next(t for t in ics.walk("VTODO") if str(t["UID"]).startswith("todo.autumn.forecast."))
    assert str(todo["SUMMARY"]) == "Confirmer les prévisions de documentation — Segment d’automne"
    cancelled = text.replace('chair = "The Chair"\n', 'chair = "The Chair"\nstatus = "cancelled"\n')
    path.write_text(cancelled, encoding="utf-8")
    data = json.loads(run("checklist", path, "--lang", "fr", "--format", "json").output)
    assert [t["title"] for t in data["tasks"] if t["id"] == "autumn.cancel-services"] == [
        "Annuler les services payants réservés pour Segment d’automne (annulé)"]
    # English keeps the titles as written
    english = json.loads(run("checklist", path, "--format", "json").output)
    assert [t["title"] for t in english["tasks"] if t["id"] == "autumn.cancel-services"] == [
        "Cancel the paid services booked for Autumn Segment (cancelled)"]
