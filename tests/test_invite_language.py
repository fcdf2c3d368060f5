"""Per-member invitations in the member's language (`language = "fr"` in the directory).

Expected local times come from GNU date (tests/oracle.py); the words were checked by hand
against CLDR's French, Spanish and Arabic (weekday, month and zone names), not copied from a
run. English invitations are unchanged byte for byte (scripts/outputs.py before and after).
"""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from agenda.cli import som
from tests import oracle
from tests.parsers import all_parsers_agree, postalmime_dump

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.timezone.utc
TECHNICAL_UTC = oracle.utc_of_local("2023-09-26 15:00", "Europe/Zurich")  # the segment's start, CEST


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lang")
    (folder / "members.toml").write_text(
        'extends = "un-entities"\n' + "".join(
            f'[[member]]\nid = "{m}"\nemails = ["focal.point@{m}.example.org"]\n' + (f'language = "{lang}"\n' if lang else "")
            for m, lang in (("unep", "fr"), ("eclac", "es"), ("escwa", "ar"), ("unops", "zh"), ("unido", None))),
        encoding="utf-8")  # only members with an address get their own invitation
    meeting = (ROOT / "calendars" / "som29.toml").read_text(encoding="utf-8")
    assert '\nmembers = "un-entities"' in meeting
    (folder / "som.toml").write_text(meeting.replace('\nmembers = "un-entities"', '\nmembers = "members.toml"'),
                                     encoding="utf-8")
    result = CliRunner().invoke(som, ["invite", str(folder / "som.toml"), "-o", str(folder / "out"), "--eml"],
                                env={"SOURCE_DATE_EPOCH": "1693569600"})
    assert result.exit_code == 0, result.output
    return folder / "out" / "members"


def description(path: Path) -> list[str]:
    [event] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return str(event["DESCRIPTION"]).split("\n")


def local(zone: str) -> tuple[str, str]:
    start, _, _ = oracle.local_of_utc(TECHNICAL_UTC, zone)
    end, _, _ = oracle.local_of_utc(TECHNICAL_UTC + dt.timedelta(hours=2), zone)
    return f"{start:%H:%M}", f"{end:%H:%M}"


def test_a_french_member_reads_french_dates_zones_and_phrases(out):
    a, b = local("Africa/Nairobi")
    assert (a, b) == ("16:00", "18:00")  # by hand too: 13:00Z, Nairobi UTC+3
    text = description(out / "unep" / "emg-som29-technical.ics")
    assert "mardi 26 septembre 2023" in text
    line = text[text.index("mardi 26 septembre 2023") + 1]
    assert line == (f"{a}\u2009–\u2009{b} Nairobi (heure normale d’Afrique de l’Est) = "  # CLDR: thin spaces
                    "15:00\u2009–\u200917:00 Geneva (heure d’été d’Europe centrale)")
    assert text[0] == "29th Meeting of the EMG Senior Officials — Technical Segment"  # titles as the file gives them


def test_a_spanish_member_reads_spanish(out):
    a, b = local("America/Santiago")
    assert (a, b) == ("10:00", "12:00")  # Chile on summer time (UTC−3) since 3 September 2023
    text = description(out / "eclac" / "emg-som29-technical.ics")
    assert "martes, 26 de septiembre de 2023" in text
    assert f"{a}–{b} Santiago (hora de verano de Chile) = 15:00–17:00 Geneva (hora de verano de Europa central)" in text


def test_an_english_member_is_unchanged_beside_them(out):
    text = description(out / "unido" / "emg-som29-technical.ics")
    assert "Tuesday 26 September 2023" in text
    assert b"\r\nDESCRIPTION:" in (out / "unido" / "emg-som29-technical.ics").read_bytes()


@pytest.mark.parametrize(("member", "lang"), [("unep", "fr"), ("eclac", "es"), ("escwa", "ar"), ("unops", "zh")])
def test_a_translated_description_says_its_language(out, member, lang):
    [event] = icalendar.Calendar.from_ical((out / member / "emg-som29-technical.ics").read_bytes()).walk("VEVENT")
    assert event["DESCRIPTION"].params["LANGUAGE"] == lang
    assert "LANGUAGE" not in event["SUMMARY"].params  # the title stays as the meeting file gives it


def test_a_subject_in_arabic_is_encoded_and_read_back(out):
    raw = (out / "escwa" / "emg-som29-technical.eml").read_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # RFC 2047: no raw non-ASCII byte in the headers
    assert b"=?utf-8?" in head.lower()
    message = email.message_from_bytes(raw, policy=policy.default)
    subject = str(message["Subject"])
    assert subject.startswith("دعوة: 29th Meeting of the EMG Senior Officials — Technical Segment (")
    html = message.get_body(("html",)).get_content()
    assert html.startswith('<html lang="ar" dir="rtl">')
    plain = message.get_body(("plain",)).get_content()
    assert "الثلاثاء، 26 سبتمبر 2023" in plain  # Tuesday 26 September, CLDR's Arabic


def test_a_chinese_subject_is_read_back_whole(out):
    message = email.message_from_bytes((out / "unops" / "emg-som29-senior.eml").read_bytes(), policy=policy.default)
    subject = str(message["Subject"])
    assert subject.startswith("邀请：29th Meeting of the EMG Senior Officials — Senior Segment（")
    assert "2023年10月10日" in subject


def test_a_second_mime_parser_reads_the_same_subjects_and_bodies(out):
    paths = sorted(out.glob("*/*.eml"))
    assert len(paths) == 5 * 3  # five members with an address, three segments
    second = postalmime_dump(paths)
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert second[path]["subject"] == str(message["Subject"]), path
        ours = message.get_body(("plain",)).get_content()
        assert second[path]["text"].replace("\r\n", "\n").rstrip() == ours.replace("\r\n", "\n").rstrip(), path
    assert second[out / "unops" / "emg-som29-senior.eml"]["subject"].startswith(
        "邀请：29th Meeting of the EMG Senior Officials — Senior Segment（2023年10月10日 14:00")


@pytest.mark.parametrize("member", ["unep", "eclac", "escwa", "unops"])
def test_every_parser_still_reads_the_translated_files(out, member):
    for path in sorted((out / member).glob("*.ics")):
        instants = all_parsers_agree(path)
        assert instants


def test_russian_dates_zones_and_phrases():
    from zoneinfo import ZoneInfo

    from agenda.render.language import Words

    words = Words("ru")
    zone = ZoneInfo("Europe/Moscow")
    start = dt.datetime(2023, 9, 26, 16, 0, tzinfo=zone)
    assert words.long_date(start) == "вторник, 26 сентября 2023\u202fг."  # a Tuesday, by hand; CLDR: narrow no-break space
    assert words.clock_span(start, start + dt.timedelta(hours=9)) == "16:00—01:00 (+1 день)"  # CLDR's em dash
    assert words.zone_names(start, start) == "Москва, стандартное время"
    assert words.say("Agenda") == "Повестка дня"
    assert words.say("Chair: {chair}", chair="X") == "Председатель: X"
