"""Write calendars/un-entities.toml from calendars/sources/un-entities.tsv.

Run it after editing the TSV: `python scripts/build_directory.py`. A test checks the two agree.
"""

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "calendars" / "sources" / "un-entities.tsv"
TARGET = ROOT / "calendars" / "un-entities.toml"


def member_id(acronym: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", acronym.lower()).strip("-")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(rows: list[dict]) -> str:
    out = [
        "# The bundled member directory: UN entities that take part in EMG Senior Officials Meetings,",
        "# at their headquarters. Built by scripts/build_directory.py from sources/un-entities.tsv;",
        "# edit the TSV and re-run it. No e-mail addresses: add focal points in a directory of your",
        '# own that says `extends = "un-entities"` (docs/meeting-file.md, "Member directories").',
        "# `holidays` names the duty station's calendar in calendars/holidays/ for entities at a",
        "# covered duty station; the others keep their country's public holidays.",
        'name = "un-entities"',
        "",
    ]
    for row in rows:
        out.append("[[member]]")
        out.append(f"id = {quote(member_id(row['acronym']))}")
        for key in ("acronym", "name", "city", "country", "subdivision", "timezone", "holidays"):
            if row[key]:
                out.append(f"{key} = {quote(row[key])}")
        out.append("")
    return "\n".join(out)


def read_rows() -> list[dict]:
    with SOURCE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


if __name__ == "__main__":
    TARGET.write_text(render(read_rows()), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
