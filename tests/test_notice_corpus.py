"""`som import-report` over the corpus of notices, letters and reports in tests/notices/ (English
and French): each `NAME.txt` with an `NAME.expected.toml`, the meeting file it must give, written by
hand from the text. The test measures, per field, the precision (of what som read, how much is
right) and the recall (of what the text says, how much som read) over the whole corpus, and
fails below the floors the issue set: 100% on dates and times, 95% on the rest.

Instants: the expected ones come from GNU date (tests/oracle.py) reading the hand-written date,
time and zone; som's from the meeting file it wrote, loaded back.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

from agenda.app.import_report import import_report
from agenda.read.load import load_meeting
from tests import oracle

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NOTICES = Path(__file__).parent / "notices"
CORPUS = sorted(p for p in NOTICES.glob("*.txt") if p.with_name(p.stem + ".expected.toml").exists())
FIELDS = ("dates and times", "titles", "agenda items by segment", "chair", "symbol", "venue", "link")
FLOORS = {"dates and times": 1.0, **{f: 0.95 for f in FIELDS[1:]}}


def _norm(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _items(items, path=()) -> list[tuple[str, ...]]:
    out = []
    for item in items:
        here = (*path, _norm(item["title"]) if isinstance(item, dict) else _norm(item.title))
        out.append(here)
        out += _items(item.get("item", []) if isinstance(item, dict) else item.items, here)
    return out


def _split_time(text: str) -> tuple[str, str]:
    start, end = text.split()[0].split("-")
    return start, end


def expected_facts(path: Path) -> dict[str, set]:
    """The facts of a hand-written meeting file; each segment keyed by its start instant (GNU date)."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    zone = doc["meeting"]["timezone"]
    facts: dict[str, set] = {f: set() for f in FIELDS}
    facts["titles"].add(("meeting", _norm(doc["meeting"]["title"])))
    meeting_link = doc["meeting"].get("online_url")
    for seg in doc["segment"]:
        start, end = _split_time(seg["time"])
        end_day = seg["date"]
        [s, e] = oracle.utc_of_local_many([(f"{seg['date']} {start}", zone), (f"{end_day} {end}", zone)])
        key = s.strftime("%Y-%m-%dT%H:%MZ")
        facts["dates and times"].add((key, e.strftime("%Y-%m-%dT%H:%MZ")))
        facts["titles"].add((key, _norm(seg["title"])))
        facts["agenda items by segment"] |= {(key, *p) for p in _items(seg.get("item", []))}
        for field, name in (("chair", "chair"), ("symbol", "symbol"), ("venue", "location"), ("link", "online_url")):
            value = seg.get(name) or (meeting_link if name == "online_url" else None)
            if value:
                facts[field].add((key, _norm(value)))
    return facts


def read_facts(path: Path, tmp: Path) -> dict[str, set]:
    """What som read: the meeting file import-report writes, loaded back as any meeting file is."""
    result = import_report(path.read_text(encoding="utf-8"), name=path.name)
    written = tmp / f"{path.stem}.toml"
    written.write_text(result.toml, encoding="utf-8")
    meeting = load_meeting(written)
    facts: dict[str, set] = {f: set() for f in FIELDS}
    facts["titles"].add(("meeting", _norm(meeting.title)))
    for seg in meeting.segments:
        key = seg.start.astimezone(oracle.UTC).strftime("%Y-%m-%dT%H:%MZ")
        facts["dates and times"].add((key, seg.end.astimezone(oracle.UTC).strftime("%Y-%m-%dT%H:%MZ")))
        facts["titles"].add((key, _norm(seg.title)))
        facts["agenda items by segment"] |= {(key, *p) for p in _items(seg.items)}
        for field, value in (("chair", seg.chair), ("symbol", seg.symbol), ("venue", seg.location),
                             ("link", meeting.online_url_of(seg))):
            if value:
                facts[field].add((key, _norm(value)))
    return facts


@functools.cache
def _scores(tmp: Path) -> tuple[dict, list]:
    totals = {f: [0, 0, 0] for f in FIELDS}  # right, read, expected
    misses = []
    for path in CORPUS:
        want = expected_facts(path.with_name(path.stem + ".expected.toml"))
        got = read_facts(path, tmp)
        for field in FIELDS:
            right = want[field] & got[field]
            totals[field][0] += len(right)
            totals[field][1] += len(got[field])
            totals[field][2] += len(want[field])
            misses += [(path.name, field, "missed", x) for x in sorted(want[field] - got[field], key=str)]
            misses += [(path.name, field, "wrong", x) for x in sorted(got[field] - want[field], key=str)]
    return totals, misses


def test_the_corpus_is_large_and_bilingual():
    assert len(CORPUS) >= 25
    french = [p for p in CORPUS if p.name.startswith("fr-")]
    assert len(french) >= 5


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_each_expected_file_is_a_meeting_file(path):
    """The hand-written answers load as meeting files: their labels fit their dates, and so on."""
    load_meeting(path.with_name(path.stem + ".expected.toml"))


def test_precision_and_recall_per_field(tmp_path_factory, capsys):
    totals, misses = _scores(tmp_path_factory.mktemp("corpus"))
    lines = [f"{'field':26} {'precision':>10} {'recall':>8} {'right':>6} {'read':>5} {'expected':>8}"]
    failing = []
    for field in FIELDS:
        right, read, expected = totals[field]
        precision = right / read if read else 1.0
        recall = right / expected if expected else 1.0
        lines.append(f"{field:26} {precision:>10.1%} {recall:>8.1%} {right:>6} {read:>5} {expected:>8}")
        if precision < FLOORS[field] or recall < FLOORS[field]:
            failing.append(field)
    with capsys.disabled():
        print(f"\nimport-report over {len(CORPUS)} notices:\n" + "\n".join(lines))
    assert not failing, "\n".join(lines + [f"{n}: {f}: {kind} {x}" for n, f, kind, x in misses])
