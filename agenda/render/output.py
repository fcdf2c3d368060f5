"""Rendering of command results: rich tables, CSV, Markdown and JSON from the same data.

Commands build a `Report` (tables for people, a payload for scripts); this module alone knows
how each format looks. rich is imported only when a table is printed. Whether the output is a
terminal is the caller's to say (`wide`): nothing here looks.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass, field
from typing import Sequence

FORMATS = ("table", "json", "csv", "md")


@dataclass
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    title: str | None = None
    footer: list[str] = field(default_factory=list)
    styles: list[str | None] | None = None  # a rich style per row ("red", "yellow", "dim")
    csv_only: int = 0  # leading columns that repeat the title: shown in CSV, not in tables


@dataclass
class Report:
    tables: list[Table]
    payload: dict  # the stable JSON document
    notes: list[str] = field(default_factory=list)  # lines after the tables (table and md only)


def to_json(payload: dict) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def to_csv(report: Report) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if report.tables:
        writer.writerow(report.tables[0].columns)
    for table in report.tables:
        writer.writerows(table.rows)
    return buf.getvalue()


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    out: list[str] = []
    for table in report.tables:
        cols = list(table.columns)[table.csv_only:]
        if table.title:
            out += [f"### {table.title}", ""]
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "|".join("---" for _ in cols) + "|")
        for row in table.rows:
            out.append("| " + " | ".join(_md_cell(c) for c in list(row)[table.csv_only:]) + " |")
        out.append("")
        for line in table.footer:
            out += [line, ""]
    for line in report.notes:
        out += [line, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def console(file=None, *, wide: bool = False, **options):
    """A rich Console for som's output, quiet on a closed pipe; `wide`: whole lines (up to 200
    columns) rather than the console's own width (off a terminal, rich would wrap at 80)."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self):  # `som ... | head`: let the CLI end quietly, not with rich's exit 1
            raise BrokenPipeError

    file = file or sys.stdout
    return PipeConsole(file=file, width=200 if wide else None, highlight=False, emoji=False, **options)


def print_tables(report: Report, file=None, *, wide: bool = False) -> None:
    from rich.table import Table as RichTable
    from rich.text import Text

    console_ = console(file, wide=wide)
    for table in report.tables:
        rich_table = RichTable(title=Text(table.title or ""), title_justify="left", title_style="bold")
        for column in list(table.columns)[table.csv_only:]:
            rich_table.add_column(column)
        for i, row in enumerate(table.rows):
            style = table.styles[i] if table.styles else None
            # Text, not str: our cells are data, never rich markup (and it renders faster)
            rich_table.add_row(*[Text(str(c)) for c in list(row)[table.csv_only:]], style=style)
        console_.print(rich_table)
        for line in table.footer:
            console_.print(Text(line))
        console_.print()
    for line in report.notes:
        console_.print(Text(line))


def render(report: Report, fmt: str, file=None, *, wide: bool = False) -> None:
    """`report` in format `fmt` on `file` (standard output by default); `wide` as for `console`."""
    file = file or sys.stdout
    if fmt == "table":
        print_tables(report, file, wide=wide)
    elif fmt == "json":
        file.write(to_json(report.payload))
    elif fmt == "csv":
        file.write(to_csv(report))
    elif fmt == "md":
        file.write(to_markdown(report))
    else:  # click.Choice keeps this from happening
        raise ValueError(f"unknown format {fmt}")
