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
from itertools import chain
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
    """json.dumps(payload, indent=2, ensure_ascii=False), byte for byte, about three times as
    fast: with an indent, json's encoder runs in pure Python (a second for 10,000 members'
    schedule); here each string and number is encoded by json's C functions and only the
    layout is Python."""
    try:
        return "".join(chain(_indented(payload, "\n"), "\n"))  # not join() + "\n": a copy of 40 MB at 40,000 members
    except _Unusual:  # a value json's default layout handles differently: let json do it all
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def to_json_parts(payload: dict) -> tuple[bytes, ...]:
    """to_json(payload) in UTF-8, in parts of about 64 KiB: a schedule of 40,000 members is 40 MB
    of JSON, which is then never held as one string, nor as one string and its bytes."""
    parts: list[bytes] = []
    pending: list[str] = []
    size = 0
    try:
        for piece in chain(_indented(payload, "\n"), "\n"):
            pending.append(piece)
            size += len(piece)
            if size >= 1 << 16:
                parts.append("".join(pending).encode("utf-8"))
                pending, size = [], 0
    except _Unusual:
        return (to_json(payload).encode("utf-8"),)
    parts.append("".join(pending).encode("utf-8"))
    return tuple(parts)


class _Unusual(Exception):
    pass


_string = json.encoder.encode_basestring  # ensure_ascii=False
_scalar = json.JSONEncoder(ensure_ascii=False).encode


_SCALARS = {str, int, bool, float, type(None)}
_flat_encoders: dict[str, json.JSONEncoder] = {}


def _flat(value: dict, inner: str, newline: str) -> str:
    """A dict of strings and numbers: json's C encoder, told to put each item on its own line."""
    encoder = _flat_encoders.get(inner)
    if encoder is None:
        encoder = _flat_encoders[inner] = json.JSONEncoder(ensure_ascii=False, separators=("," + inner, ": "))
    text = encoder.encode(value)  # {"a": 1,<inner>"b": 2}: strings never hold a raw newline
    return "{" + inner + text[1:-1] + newline + "}"


def _is_flat(value: dict) -> bool:
    return all(type(k) is str for k in value) and all(type(v) in _SCALARS for v in value.values())


def _flat_rows(rows) -> bool:
    """Every item a non-empty dict of strings and numbers: checked by C loops (map, set), not a
    Python one per row, which took longer than encoding the rows."""
    return (set(map(type, rows)) == {dict} and all(rows) and set(map(type, chain.from_iterable(rows))) == {str}
            and set(map(type, chain.from_iterable(map(dict.values, rows)))) <= _SCALARS)


_row_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",\0", ": "))


def _rows(rows, inner: str, newline: str):
    """A list of flat, non-empty dicts, 4,096 at a time: each block encoded by json's C encoder
    with a NUL after each comma, then laid out. An encoded string never holds a raw NUL (json
    writes \\u0000), so each NUL is a separator: between two rows where it comes before `{`,
    else between two items of a row (where it comes before a key's `"`)."""
    item = inner + "  "
    for at in range(0, len(rows), 4096):
        text = _row_encoder.encode(rows[at:at + 4096])  # [{"a": 1,\0"b": 2},\0{"a": 3,\0"b": 4}]
        text = text[2:-2].replace("},\0{", inner + "}," + inner + "{" + item).replace(",\0", "," + item)
        yield ("[" if at == 0 else ",") + inner + "{" + item + text + inner + "}"
    yield newline + "]"


def _indented(value, newline: str):
    """The pieces of `value` as json.dumps(indent=2) lays it out; `newline` carries the indent."""
    kind = type(value)
    if kind is str:
        yield _string(value)
    elif kind is dict:
        if not value:
            yield "{}"
            return
        inner = newline + "  "
        if _is_flat(value):
            yield _flat(value, inner, newline)  # a row of a table: one call into json's C encoder
            return
        yield "{"
        first = True
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            yield (inner if first else "," + inner) + _string(key) + ": "
            first = False
            yield from _indented(item, inner)
        yield newline + "}"
    elif kind is list or kind is tuple:
        if not value:
            yield "[]"
            return
        inner = newline + "  "
        if len(value) > 1 and _flat_rows(value):
            yield from _rows(value, inner, newline)  # the rows of a table: json's C encoder, a block at a time
            return
        yield "["
        first = True
        for item in value:
            yield inner if first else "," + inner
            first = False
            yield from _indented(item, inner)
        yield newline + "]"
    elif kind is int or kind is bool or value is None or kind is float:
        yield _scalar(value)
    else:
        raise _Unusual


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
        skip = table.csv_only
        for row in table.rows:
            cells = row[skip:] if skip else row
            try:  # most rows are plain text, with no | or line break to escape: joined at once
                line = " | ".join(cells)
            except TypeError:  # a number in a cell
                line = None
            if line is None or line.count("|") != len(cells) - 1 or "\n" in line:
                line = " | ".join(_md_cell(c) for c in cells)
            out.append("| " + line + " |")
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


# Above this many rows a table is drawn by _plain_lines, not by rich: rich measures and lays out
# every cell of every row (10,000 members' schedule: 9 s of 10), which a long table, read by
# scrolling or searching, does not need. Below it, rich's tables as before (wrapped to the
# terminal's width).
PLAIN_ROWS = 400

# rich's default table box (HEAVY_HEAD): the same frame, drawn by hand
_TOP, _HEAD, _RULE, _ROW, _BOTTOM = "┏━┳┓", "┃┃┃", "┡━╇┩", "│││", "└─┴┘"
_SGR = {"red": "31", "yellow": "33", "green": "32", "dim": "2", "bold": "1"}


def _plain_lines(table: Table, colour: bool) -> list[str]:
    """A long table as rich would draw it on a wide enough terminal (same box, same padding,
    columns as wide as their widest cell); each row's style as an ANSI colour when `colour`."""
    from rich.cells import cell_len

    skip = table.csv_only
    columns = [str(c) for c in list(table.columns)[skip:]]
    # each distinct text measured once (a column of 40,000 rows holds a few hundred), an ASCII
    # text as wide as it is long
    distinct = [{columns[i], *map(str, {r[skip + i] for r in table.rows})} for i in range(len(columns))]
    widths = [max(len(t) if t.isascii() else cell_len(t) for t in texts) for texts in distinct]
    # str.format pads by characters, which is rich's width for all but wide or zero-width ones
    # (CJK, combining accents): a row without such a text is drawn in one call
    odd = {t for texts in distinct for t in texts if not t.isascii() and cell_len(t) != len(t)}
    plain_row = _ROW[0] + _ROW[1].join(f" {{!s:<{w}}} " for w in widths) + _ROW[2]

    def line(cells: Sequence, edges: str) -> str:
        if edges is _ROW and (not odd or odd.isdisjoint(map(str, cells))):
            return plain_row.format(*cells)
        return edges[0] + edges[1].join(f" {c}{' ' * (w - cell_len(c))} " for c, w in zip(map(str, cells), widths)) \
            + edges[2]

    def rule(edges: str) -> str:
        return edges[0] + edges[2].join(edges[1] * (w + 2) for w in widths) + edges[3]

    out = []
    if table.title:
        out.append(f"\x1b[1m{table.title}\x1b[0m" if colour else table.title.ljust(sum(widths) + 3 * len(widths) + 1))
    head = line(columns, _HEAD)
    out += [rule(_TOP), f"\x1b[1m{head}\x1b[0m" if colour else head, rule(_RULE)]
    for i, row in enumerate(table.rows):
        text = line(row[skip:], _ROW)
        code = _SGR.get(table.styles[i] or "") if colour and table.styles else None
        out.append(f"\x1b[{code}m{text}\x1b[0m" if code else text)
    out.append(rule(_BOTTOM))
    return out


def print_tables(report: Report, file=None, *, wide: bool = False) -> None:
    from rich.table import Table as RichTable
    from rich.text import Text

    console_ = console(file, wide=wide)
    for table in report.tables:
        if len(table.rows) > PLAIN_ROWS:
            console_.file.write("\n".join(_plain_lines(table, console_.color_system is not None)) + "\n")
            for line in table.footer:
                console_.print(Text(line))
            console_.print()
            continue
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
