"""Text a user types on the command line: nothing but a clean message ever comes back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.model.errors import SomError
from agenda.model.timeplan import parse_label, parse_time_range, parse_when, resolve_zone

ZURICH = resolve_zone("Europe/Zurich")

# Text that looks like what people write, mixed with anything at all.
time_words = st.sampled_from(["15:00", "3pm", "-", "–", "to", "CEST", "CET", "UTC", "+02:00", "2 pm", "3.30",
                              "September", "26th", "2023", ",", "Tuesday", "on the", "of", "Z", "(Geneva time)",
                              "24:00", "00:00", "13pm", "2023-09-26", "T", "GMT+2", "IST", "29 Feb 2023"])
human_text = st.one_of(st.text(max_size=60), st.lists(time_words, max_size=8).map(" ".join))


@pytest.mark.fuzz
@given(human_text)
def test_time_ranges(text):
    try:
        parse_time_range(text)
    except SomError:
        pass


@pytest.mark.fuzz
@given(human_text, st.booleans())
def test_when(text, zone_given):
    try:
        parse_when(text, ZURICH, zone_given=zone_given)
    except SomError:
        pass


# What secretaries type (no year, a weekday alone, a city for the zone, French), mixed in.
prose_words = st.sampled_from(["3pm", "15 h 00", "15h", "15.00 hrs", "CEST", "Geneva time", "(Geneva time)",
                               "heure de Genève", "(heure de Genève)", "Tokyo time", "Atlantis time", "mardi",
                               "Tuesday", "26 Sept", "29 Feb", "23 septembre", "1er octobre", "2025", "le", "à",
                               "on", "10/11", "noon-ish", "Sep 26", "de", "Genève", "UTC+2", ","])
prose_text = st.one_of(st.text(max_size=60), st.lists(prose_words, max_size=8).map(" ".join))


@pytest.mark.fuzz
@given(prose_text, st.booleans(), st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.integers(1900, 2200)),
       st.one_of(st.none(), st.dates()))
def test_when_with_the_year_and_week_filled_in(text, zone_given, today, year, week):
    try:
        when = parse_when(text, ZURICH, zone_given=zone_given, today=today, year=year, week=week)
    except SomError:
        return
    assert when.instant.tzinfo is not None


@pytest.mark.fuzz
@given(st.text(max_size=40))
def test_labels_and_zones(text):
    for reader in (parse_label, resolve_zone):
        try:
            reader(text)
        except SomError:
            pass


@pytest.mark.fuzz
@given(human_text, st.lists(st.text(max_size=25), max_size=2))
def test_convert_command_never_prints_a_traceback(runner, when, zones):
    args = ["convert"] + [a for z in zones for a in ("--to", z)] + ["--", when]
    result = runner(*args)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("som: error: ")


def test_a_filled_in_year_is_not_said_before_an_error(runner):
    """Found by the fuzzer: the note on the year came out before the error on --to, two lines."""
    result = runner("convert", "--to", "", "--", "SEPTEMBER 1TH 0:00")
    assert result.exit_code == 2
    assert result.stderr == "som: error: empty time zone; write an IANA name such as `Europe/Zurich`\n"


@pytest.mark.fuzz
@given(st.one_of(st.text(max_size=20), st.lists(st.sampled_from(["en", "fr", "es", "ar", "zh", "ru", "FR", "de", "",
                                                                 " ", "fr-CH", "zh_Hans"]),
                                                max_size=4).map(",".join)))
def test_languages(text):
    """What --lang reads: the six codes, each once, in the order given; anything else one BadValue."""
    from agenda.model.meeting import LANGUAGES, read_languages

    try:
        languages = read_languages(text)
    except SomError as exc:
        assert "languages: en, fr, es, ar, zh, ru" in str(exc)  # one line: the command line escapes the value
        return
    assert languages and set(languages) <= set(LANGUAGES) and len(set(languages)) == len(languages)
