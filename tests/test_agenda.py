"""`som agenda`: the SOM29 provisional agenda against golden files, planned times and overrun
on a meeting of our own, HTML escaping and self-containment, the Word document, bad input."""

import io
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from agenda.render.agenda_doc import TBA, agenda_document, to_docx_bytes, to_html, to_markdown
from agenda.read.load import load_meeting

GOLDEN = Path(__file__).parent / "golden"


def normalised(text: str) -> list[str]:
    """Line ends and trailing blanks are not content."""
    return [line.rstrip() for line in text.replace("\r\n", "\n").strip("\n").split("\n")]


# The golden files were written by `som agenda --format md|html` and then checked by hand,
# line by line, once, against the SOM29 meeting report (the source of calendars/som29.toml): body,
# symbol "EMG SOM29/midterm", "Distribution: EMG Members", 16 May 2023 15:00–17:00 CEST =
# 13:00–15:00 UTC (CEST is UTC+2), venue MS Teams, chair Ms. Ligia Noronha; items Introduction,
# Overview … (document EMGSOM29/midterm/02) with the seven workstreams as (a)–(g), Preparation
# for SOM29, Any other business; technical 26 Sep 15:00–17:00 CEST = 13:00–15:00 UTC and senior
# 10 Oct 14:00–15:30 CEST = 12:00–13:30 UTC without items ("to be announced"), nothing invented.
@pytest.mark.parametrize("fmt, render", [("md", to_markdown), ("html", to_html)])
def test_som29_golden(fmt, render):
    expected = (GOLDEN / f"som29-agenda.{fmt}").read_text(encoding="utf-8")
    assert normalised(render(agenda_document(load_meeting()))) == normalised(expected)


def test_command_writes_the_golden_md(run, tmp_path):
    out = tmp_path / "agenda.md"
    assert run("agenda", "--format", "md", "-o", out).exit_code == 0
    assert normalised(out.read_text(encoding="utf-8")) == normalised((GOLDEN / "som29-agenda.md").read_text())


def test_segments_without_items_say_so_and_show_their_notes():
    md = to_markdown(agenda_document(load_meeting(), ["technical"]))
    assert TBA in md
    assert "\n1. " not in md
    assert "- Closer collaboration between the UN system and the development banks" in md
    assert "Time:** 15:00–17:00 CEST (13:00–15:00 UTC)" in md


# Our own meeting (tests/conftest.py), segment autumn Thu 19 Oct 2023 10:00–12:00 CEST
# (08:00–10:00 UTC). Planned starts by hand: 1. Opening 10:00 (10 min); 2. Biodiversity 10:10
# (60 min), its (a) 10:10 (30 min) and (b) 10:40 (40 min); 3. AOB 10:10 + 60 = 11:10 (60 min).
# Planned 10 + 60 + 60 = 130 min against a 120-minute segment: over by 10 min. The sub-items of
# item 2 take 30 + 40 = 70 min, more than its 60.
def test_planned_times_leads_and_overrun(prep_file):
    doc = agenda_document(load_meeting(prep_file), ["autumn"])
    seg = doc.segments[0]
    rows = [(e.number, e.title, e.lead, f"{e.start:%H:%M}", e.minutes) for e in seg.entries()]
    assert rows == [
        ("1.", "Opening", None, "10:00", 10),
        ("2.", "Biodiversity", "UNEP", "10:10", 60),
        ("(a)", "Post-2020 framework", "UNDP", "10:10", 30),
        ("(b)", "Business & biodiversity", "ILO", "10:40", 40),
        ("3.", "Any other business", None, "11:10", 60),
    ]
    assert seg.time_text == "10:00–12:00 CEST (08:00–10:00 UTC)"
    assert seg.warnings == (
        "Warning: the items' planned time (2 h 10 min) overruns the segment (2 h) by 10 min.",
        "Warning: the sub-items of item 2 take 1 h 10 min, more than the item's 1 h.",
    )
    md = to_markdown(doc)
    assert "2. Biodiversity — 10:10 (1 h); lead: UNEP; documents: EMG/TEST/1/2, EMG/TEST/1/3" in md
    assert "   - (b) Business & biodiversity — 10:40 (40 min); lead: ILO" in md
    assert "**Warning: the items' planned time (2 h 10 min) overruns the segment (2 h) by 10 min.**" in md
    assert "**Item 2.** UNEP reports on the IMG." in md
    assert "- **Chair:** The Chair" in md and "- **Online:** https://example.org/join?a=1&b=2" in md


def test_no_times_when_no_item_has_minutes():
    seg = agenda_document(load_meeting(), ["midterm"]).segments[0]
    assert not seg.timed and all(e.start is None for e in seg.entries())
    assert seg.warnings == ()


def test_item_without_minutes_stops_the_clock(tmp_path):
    from tests.conftest import write_meeting

    path = write_meeting(tmp_path, """\
        [meeting]
        id = "m"
        title = "M"
        timezone = "Europe/Zurich"
        [[segment]]
        id = "s"
        title = "S"
        date = 2023-09-26
        time = "15:00-17:00 CEST"
        [[segment.item]]
        title = "One"
        minutes = 20
        [[segment.item]]
        title = "Two"
        [[segment.item]]
        title = "Three"
        minutes = 20
        """)
    starts = [e.start for e in agenda_document(load_meeting(path)).segments[0].entries()]
    assert [s.strftime("%H:%M") if s else None for s in starts] == ["15:00", "15:20", None]


class _Balance(HTMLParser):
    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_html_is_escaped_balanced_and_self_contained(prep_file):
    html = to_html(agenda_document(load_meeting(prep_file)))
    assert "<title>Provisional agenda — Test &lt;Meeting&gt; &amp; Co</title>" in html
    assert "<td class=\"title\">Business &amp; biodiversity</td>" in html
    assert '<a href="https://example.org/join?a=1&amp;b=2">' in html
    assert "<Meeting>" not in html
    for external in ("<script", "<link", "src=", "url(", "@import"):
        assert external not in html
    checker = _Balance()
    checker.feed(html)
    assert checker.errors == [] and checker.stack == []
    assert html.count('<section class="segment"') == 3  # PREP_MEETING's autumn, monday and spring


def test_markdown_escapes_specials(prep_file):
    md = to_markdown(agenda_document(load_meeting(prep_file), ["autumn"]))
    assert "Test \\<Meeting\\> & Co" in md


# --- Word ------------------------------------------------------------------------------------

def test_docx_headings_and_items(run, prep_file, tmp_path):
    out = tmp_path / "agenda.docx"
    assert run("agenda", prep_file, "--segment", "autumn", "--format", "docx", "-o", out).exit_code == 0
    document = docx.Document(str(out))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Autumn Segment"), ("Heading 2", "Provisional agenda"),
                        ("Heading 2", "Annotations")]
    texts = [p.text for p in document.paragraphs]
    assert "Time: 10:00–12:00 CEST (08:00–10:00 UTC)" in texts
    assert "Warning: the items' planned time (2 h 10 min) overruns the segment (2 h) by 10 min." in texts
    (table,) = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["No.", "Item", "Lead", "Documents", "Start"]
    assert rows[1:] == [
        ["1.", "Opening", "", "", "10:00 (10 min)"],
        ["2.", "Biodiversity", "UNEP", "EMG/TEST/1/2, EMG/TEST/1/3", "10:10 (1 h)"],
        ["(a)", "Post-2020 framework", "UNDP", "", "10:10 (30 min)"],
        ["(b)", "Business & biodiversity", "ILO", "", "10:40 (40 min)"],
        ["3.", "Any other business", "", "", "11:10 (1 h)"],
    ]
    assert document.core_properties.title == "Provisional agenda — Test <Meeting> & Co"
    assert document.core_properties.created == datetime(2023, 1, 1, tzinfo=timezone.utc)


def test_docx_som29_lists_every_segment_and_the_workstreams():
    document = docx.Document(io.BytesIO(to_docx_bytes(agenda_document(load_meeting()))))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Midterm Technical Segment", "Technical Segment", "Senior Segment"]
    (table,) = document.tables  # only the midterm segment has items
    numbers = [row.cells[0].text for row in table.rows[1:]]
    assert numbers == ["1.", "2.", "(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "3.", "4."]
    assert [p.text for p in document.paragraphs].count(TBA) == 2


def test_docx_is_byte_stable_whatever_the_clock(monkeypatch):
    doc = agenda_document(load_meeting())
    first = to_docx_bytes(doc)
    later = time.time() + 86400 * 3
    monkeypatch.setattr(time, "time", lambda: later)  # zipfile stamps entries with time.time()
    assert to_docx_bytes(doc) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        assert z.testzip() is None


def test_docx_needs_a_file_on_a_terminal_but_pipes_fine(run, monkeypatch):
    result = run("agenda", "--format", "docx")  # CliRunner's stdout is not a terminal
    assert result.exit_code == 0 and result.stdout_bytes[:2] == b"PK"
    from agenda.cli import options

    monkeypatch.setattr(options, "stdout_is_terminal", lambda: True)
    result = run("agenda", "--format", "docx")
    assert result.exit_code == 2 and result.stdout_bytes == b""
    assert "this format is binary and standard output is a terminal; add -o FILE" in result.stderr


# --- the command -----------------------------------------------------------------------------

def test_table_format(run):
    result = run("agenda", "--segment", "midterm")
    assert result.exit_code == 0
    assert "Midterm Technical Segment — EMG SOM29/midterm" in result.output
    assert "(g)" in result.output and "Strengthening UN system-wide support" in result.output


def test_unknown_segment_suggests(run):
    result = run("agenda", "--segment", "tecnical")
    assert result.exit_code == 2
    assert result.stderr.strip() == "som: error: no segment `tecnical` in emg-som29; did you mean `technical`?"


def test_output_path_that_is_a_folder(run, tmp_path):
    result = run("agenda", "--format", "html", "-o", tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path} is a folder; -o names the file to write" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_stays_light():
    code = ("import sys; from click.testing import CliRunner; from agenda.cli import som; "
            "r = CliRunner().invoke(som, ['--help']); assert 'checklist' in r.output; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'icalendar', 'holidays', 'docx'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_output_never_replaces_a_file_som_did_not_write(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "agenda.md"
    out.write_text("my own notes", encoding="utf-8")
    result = run("agenda", "--format", "md", "-o", out)
    assert result.exit_code == 2
    assert f"{out} exists and som did not write it" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "my own notes"
    result = run("agenda", "--format", "md", "-o", "agenda.md")  # in the current folder, as typed
    assert result.stderr == ("som: error: agenda.md exists and som did not write it; choose another file name, "
                             "or pass --force to overwrite it\n")
    assert run("agenda", "--format", "md", "-o", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("**")
    # som's own file now: a second run replaces it without --force
    # a file som wrote is replaced without --force
    assert run("agenda", "--format", "md", "--segment", "senior", "-o", out).exit_code == 0
    assert "Senior Segment" in out.read_text(encoding="utf-8")
    assert "Midterm" not in out.read_text(encoding="utf-8")


def test_display_stays_in_the_command_layer():
    # No rich and no colours in the domain modules; the commands choose the styles.
    import ast
    from pathlib import Path

    import agenda
    from agenda.plan import check, checklist
    from agenda.render.check import check_report
    from agenda.render.checklist import checklist_report

    for name in ("render/agenda_doc", "render/checklist", "render/check", "plan/checklist", "plan/check"):
        tree = ast.parse((Path(agenda.__file__).parent / f"{name}.py").read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        assert not any(m == "rich" or m.startswith("rich.") for m in imported), name
    assert checklist_report(checklist.build_checklist(load_meeting(), date(2023, 9, 20))).tables[0].styles is None
    result = check.check_meeting(load_meeting(), today=date(2023, 9, 20))
    assert check_report(result).tables[0].styles is None


def test_table_format_prints_the_agenda(run):
    result = run("agenda", "--segment", "midterm")
    assert result.exit_code == 0
    assert "Midterm" in result.output and "Any other business" in result.output


def test_the_file_name_chooses_the_format_or_must_agree(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    assert run("agenda", "-o", "a.docx").exit_code == 0
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"  # a zip: a real Word file, not text
    assert run("agenda", "-o", "a.html").exit_code == 0
    assert (tmp_path / "a.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    result = run("agenda", "--format", "md", "-o", "b.docx")
    assert result.exit_code == 2 and "--format md does not match the file name b.docx" in result.stderr
    assert not (tmp_path / "b.docx").exists()
