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


def test_wide_and_combining_characters_are_padded_as_rich_pads_them(monkeypatch):
    # 東京 takes four columns in two characters, Zu\u0308rich six in seven: the rows holding
    # them cannot be padded by counting characters, the others can; both must match rich
    cities = ["東京", "Zu\u0308rich", "Genève", "Ulaanbaatar"]
    table = Table(("Acronym", "City", "Local time"),
                  [(f"M{i:05d}", cities[i % 4], "09:00–11:00 EDT") for i in range(PLAIN_ROWS + 1)],
                  title="Senior Segment")
    plain = _printed(table, PLAIN_ROWS, monkeypatch)
    assert plain == _printed(table, 10 ** 9, monkeypatch)
    assert "│ 東京        │" in plain and "│ Zu\u0308rich      │" in plain


def test_no_colour_off_a_terminal_and_every_line_as_wide(monkeypatch):
    plain = _printed(_table(PLAIN_ROWS + 1), PLAIN_ROWS, monkeypatch)
    assert "\x1b[" not in plain
    framed = [line for line in plain.splitlines() if line and line[0] in "┏┃┡│└"]
    assert len(framed) == PLAIN_ROWS + 1 + 4 and len({len(line) for line in framed}) == 1


from hypothesis import given, strategies as st  # noqa: E402

from agenda.render.output import to_json  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25)


@given(st.dictionaries(st.text(max_size=6), _json_values, max_size=5))
def test_json_is_laid_out_as_json_dumps_indent_2_lays_it_out(payload):
    import json

    assert to_json(payload) == json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def test_json_of_keys_json_would_convert_is_still_json_dumps():
    import json

    payload = {"a": {1: "x", None: [1.5, float("inf")]}, "b": {"é": "“q”"}}
    assert to_json(payload) == json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


_flat_rows = st.lists(st.dictionaries(st.text(alphabet="a{}[],:\"\\\0\n é", max_size=4),
                                      st.none() | st.booleans() | st.integers() | st.floats()
                                      | st.text(alphabet="a{}[],:\"\\\0\n é", max_size=6), max_size=4),
                      max_size=5)


@given(_flat_rows, st.integers(0, 3))
def test_json_of_a_table_s_rows_is_laid_out_as_json_dumps_indent_2_lays_it_out(rows, depth):
    """Lists of flat objects (a schedule's rows) take a shortcut: braces, commas and NULs in
    the strings must not confuse it, at any depth."""
    import json

    payload: dict = {"rows": rows}
    for _ in range(depth):
        payload = {"in": [payload, {"x": rows}]}
    assert to_json(payload) == json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


@given(st.dictionaries(st.text(max_size=6), _json_values | _flat_rows, max_size=5))
def test_json_in_parts_is_the_same_text_in_utf_8(payload):
    import json

    from agenda.render.output import to_json_parts

    assert b"".join(to_json_parts(payload)) == (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def test_json_of_more_rows_than_a_block_is_json_dumps_indent_2():
    import json

    from agenda.render.output import to_json_parts

    payload = {"rows": [{"i": i, "s": "},\0{" * (i % 3)} for i in range(10_000)]}
    expected = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    assert to_json(payload) == expected and b"".join(to_json_parts(payload)) == expected.encode("utf-8")


@given(st.lists(st.lists(st.text(alphabet="a|\n \\") | st.integers(), min_size=0, max_size=4), max_size=4), st.integers(0, 2))
def test_markdown_cells_escape_bars_and_line_breaks_whatever_the_row(rows, skip):
    """Plain rows are joined at once; a bar or a line break in any cell (or a number) is still
    escaped cell by cell, as `\\|` and a space."""
    from agenda.render.output import Report, Table, to_markdown

    text = to_markdown(Report([Table(["x", "y", "z"], rows, csv_only=skip)], {}))
    lines = text.split("\n")[2:2 + len(rows)]
    assert lines == ["| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row[skip:]) + " |"
                     for row in rows]
