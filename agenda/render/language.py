"""The words of an invitation in its reader's language.

Fixed phrases come from gettext catalogs (`agenda/locale/<lang>/LC_MESSAGES/som.mo`, compiled
from the `.po` next to it); dates, times, weekday, month and time-zone names and durations come
from CLDR through Babel, so no table of ours has to know how Spanish writes a date. English is
not a catalog: its words are the message ids themselves, and the English texts keep their own
writers (`render/invitation.py`) so their bytes do not move.
"""

from __future__ import annotations

import gettext
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "som"
RIGHT_TO_LEFT = frozenset({"ar"})


@lru_cache(maxsize=None)
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of a language; English needs none (the message ids are English)."""
    if lang == "en":
        return gettext.NullTranslations()
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
        return gettext.GNUTranslations(f)


class Words:
    """Phrases, dates and times in one language."""

    def __init__(self, lang: str):
        self.lang = lang
        self._gettext = catalog(lang).gettext

    def say(self, message: str, **values: object) -> str:
        """A fixed phrase, translated, with its placeholders filled in."""
        return self._gettext(message).format(**values)

    def long_date(self, dt: datetime) -> str:
        """`mardi 26 septembre 2023`: CLDR's full date."""
        from babel.dates import format_date

        return format_date(dt.date(), "full", locale=self.lang)

    def short_date(self, dt: datetime) -> str:
        from babel.dates import format_date

        return format_date(dt.date(), "medium", locale=self.lang)

    def day(self, dt: datetime) -> str:
        """`mar. 26 sept. 2023`: CLDR's short weekday, day, month and year."""
        from babel.dates import format_skeleton

        return format_skeleton("yMMMEd", dt, locale=self.lang)

    def number(self, n: int) -> str:
        """A count as CLDR writes numbers in the language."""
        from babel.numbers import format_decimal

        return format_decimal(n, locale=self.lang)

    def clock(self, dt: datetime) -> str:
        """`15:20`: a time of day as CLDR writes hours and minutes on a 24-hour clock."""
        from babel.dates import format_skeleton

        return format_skeleton("Hm", dt.time(), locale=self.lang)

    def clock_span(self, start: datetime, end: datetime) -> str:
        """`10:00–12:00` as CLDR writes a span of hours, and `(+1 jour)` when it ends days later."""
        from babel.dates import format_interval
        from babel.units import format_unit

        span = format_interval(start.time(), end.time(), "Hm", locale=self.lang)
        days = (end.date() - start.date()).days
        return span + (f" (+{format_unit(days, 'duration-day', locale=self.lang)})" if days else "")

    def zone_names(self, start: datetime, end: datetime) -> str:
        """`heure d’été d’Europe centrale`: CLDR's name of the zone at that time (two across a change)."""
        from babel.dates import get_timezone_name

        a, b = (get_timezone_name(dt, "long", locale=self.lang) for dt in (start, end))
        return a if a == b else f"{a}/{b}"

    def list_of(self, parts: list[str]) -> str:
        """`date et heure`: CLDR's way of joining a short list."""
        from babel.lists import format_list

        return format_list(parts, locale=self.lang)

    def date_form(self, day: date, form: str = "long") -> str:
        """A day (no time) as CLDR writes it: `form` is "full", "long", "medium", "short" or a
        CLDR pattern such as "EEE" (the short weekday name)."""
        from babel.dates import format_date

        return format_date(day, form, locale=self.lang)

    def count_of(self, n: int, unit: str) -> str:
        """`2 semaines`: CLDR's plural of a unit ("duration-week", "duration-day")."""
        from babel.units import format_unit

        return format_unit(n, unit, length="long", locale=self.lang)

    def skeleton(self, day: date, skeleton: str) -> str:
        """A day by a CLDR skeleton ("MMMEd": `mar. 26 sept.`), in the order the language writes it."""
        from babel.dates import format_skeleton

        return format_skeleton(skeleton, day, locale=self.lang)
