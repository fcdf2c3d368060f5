"""Long tables are drawn without rich's layout engine, and look the same as rich's."""

import io

from agenda.render.output import PLAIN_ROWS, Report, Table, print_tables


def _table(rows: int) -> Table:
    cities = ["New York", "Genève", "Tokyo", "Addis Ababa", "São Paulo"]
    return Table(("Segment", "Acronym", "City", "Local time", "Day"),
                 [("s1", f"M{i:05d}", cities[i % 5], "09:00–11:00 EDT", "+1 day" if i % 7 == 0 else "")
                  for i in range(rows)],
                 title="Technical Segment — Tue 26 Sep 2023", footer=["3 of 5 inside"], csv_only=1,
                 styles=["red" if i % 3 == 0 else None for i in range(rows)])


def _printed(table: Table, rows_limit: int, monkeypatch) -> str:
    monkeypatch.setattr("agenda.render.output.PLAIN_ROWS", rows_limit)
    out = io.StringIO()
    print_tables(Report([table], {}), out, wide=True)
    return out.getvalue()


def test_a_long_table_is_drawn_as_rich_draws_it(monkeypatch):
    table = _table(PLAIN_ROWS + 1)
    plain = _printed(table, PLAIN_ROWS, monkeypatch)
    by_rich = _printed(table, 10 ** 9, monkeypatch)
    assert plain.count("\n") > PLAIN_ROWS
    assert plain == by_rich


def test_no_colour_off_a_terminal_and_every_line_as_wide(monkeypatch):
    plain = _printed(_table(PLAIN_ROWS + 1), PLAIN_ROWS, monkeypatch)
    assert "\x1b[" not in plain
    framed = [line for line in plain.splitlines() if line and line[0] in "┏┃┡│└"]
    assert len(framed) == PLAIN_ROWS + 1 + 4 and len({len(line) for line in framed}) == 1
