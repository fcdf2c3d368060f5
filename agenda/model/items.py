"""Rules about agenda items that more than one output needs: how items are numbered
(1., (a), (i)) and how long they are planned to take."""

from __future__ import annotations

from dataclasses import dataclass


ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")


@dataclass(frozen=True)
class PlannedTime:
    minutes: int  # what the items are known to take: a lower bound unless `complete`
    complete: bool  # every item's time is known


def planned_minutes(items) -> PlannedTime:
    """The time the items take, by the one rule `som agenda` and `som check` share.

    An item takes its own minutes; without them, the sum of its sub-items'. An item with
    neither is unknown: it counts as zero and the total is then only a lower bound, so an
    overrun is reported when even that lower bound is longer than the segment (an unknown item
    can only add time).
    """
    total, complete = 0, True
    for item in items:
        if item.minutes is not None:
            total += item.minutes
        elif item.items:
            sub = planned_minutes(item.items)
            total += sub.minutes
            complete = complete and sub.complete
        else:
            complete = False
    return PlannedTime(total, complete)


def item_number(index: int, depth: int) -> tuple[str, str]:
    if depth == 1:
        return f"{index + 1}.", str(index + 1)
    if depth == 2:
        letter = _letters(index)
        return f"({letter})", f"({letter})"
    roman = ROMAN[index] if index < len(ROMAN) else str(index + 1)
    return f"({roman})", f"({roman})"


def _letters(index: int) -> str:
    """a, b, …, z, aa, ab, … (UN documents rarely go past (z), but never crash when they do)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
