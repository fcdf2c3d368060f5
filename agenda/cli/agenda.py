import click

from agenda.cli.options import (emit, format_option, language_of, language_option, load_meeting, meeting_argument,
                                output_option, segment_option)


SUFFIX_FORMATS = {".md": "md", ".html": "html", ".htm": "html", ".docx": "docx"}


@click.command("agenda", short_help="The provisional agenda of each segment.")
@meeting_argument
@segment_option("Only this segment (repeatable); all segments when omitted.")
@format_option("table", "md", "html", "docx")
@output_option()
@language_option()
@click.pass_context
def command(ctx, meeting, segments, fmt, output, force, lang):
    """The provisional agenda of each segment, as the secretariat issues it.

    Body and meeting title, document symbol and distribution, date and time in the home zone
    and in UTC, venue, online link and chair; numbered items with sub-items (a), (b), ...,
    their lead entity, documents and planned start time (from the items' minutes), a warning
    when the items overrun the segment, and the annotations. `html` is one self-contained
    printable file; `docx` a Word document (needs -o FILE on a terminal).

    With --lang (or the meeting's `language`) the fixed words, dates, times and zone names are
    in that language, and the titles are the meeting file's translations (`title_fr = ...`)
    where it gives them; Arabic HTML and Word are right to left.

    \b
    Example:
      som agenda --segment midterm --format docx -o agenda.docx
      som agenda --lang fr --format html -o ordre-du-jour.html
    """
    from agenda.effects.clock import build_stamp
    from agenda.render.agenda_doc import agenda_document, to_docx_bytes, to_html, to_markdown
    from agenda.model.errors import SomError

    if output is not None and output.suffix.lower() in SUFFIX_FORMATS:
        # -o agenda.docx means a Word file: the ending chooses the format, or must agree with it
        wanted = SUFFIX_FORMATS[output.suffix.lower()]
        if ctx.get_parameter_source("fmt") is click.core.ParameterSource.DEFAULT:
            fmt = wanted
        elif fmt != wanted:
            raise SomError(f"--format {fmt} does not match the file name {output.name}",
                           hint=f"use --format {wanted}, or another file name")
    meeting = load_meeting(meeting)
    doc = agenda_document(meeting, segments, stamp=build_stamp(meeting), lang=language_of(meeting, lang))
    if fmt == "table":
        if output is None:
            print_agenda(doc)
            return
        import io

        buf = io.StringIO()
        print_agenda(doc, buf)
        data = buf.getvalue().encode("utf-8")
    elif fmt == "md":
        data = to_markdown(doc).encode("utf-8")
    elif fmt == "html":
        data = to_html(doc).encode("utf-8")
    else:
        data = to_docx_bytes(doc)
    emit(data, output, binary=fmt == "docx", force=force)


def print_agenda(doc, file=None) -> None:
    """The `table` format: facts as lines, the items as a rich table, then warnings and notes."""
    from rich.table import Table as RichTable
    from rich.text import Text

    from agenda.render.agenda_doc import (TBA, annotations_of, distribution_line, fact_label, item_cells, item_columns,
                                          item_lead_in, note_blocks, say_in, segment_facts)
    from agenda.cli.options import console as make_console

    console = make_console(file)
    masthead = " — ".join(x for x in (doc.body, doc.meeting_title) if x)
    for n, seg in enumerate(doc.segments):
        if n:
            console.print()
        console.print(Text(masthead, style="dim"))
        console.print(Text(" — ".join(x for x in (seg.title, seg.symbol) if x), style="bold"))
        if seg.distribution:
            console.print(Text(distribution_line(seg) or ""))
        for name, value in segment_facts(seg):
            console.print(Text(f"{fact_label(seg, name)} {value}"))
        if seg.items:
            table = RichTable(title_justify="left")
            for column in item_columns(seg):
                table.add_column(column)
            for entry in seg.entries():
                cells = item_cells(seg, entry)
                cells[1] = "  " * (entry.depth - 1) + cells[1]
                table.add_row(*cells)
            console.print(table)
        else:
            console.print(Text(say_in(seg.lang)(TBA), style="italic"))
        for warning in seg.warnings:
            console.print(Text(warning, style="bold red"))
        for ref, notes in annotations_of(seg):
            for i, (kind, lines) in enumerate(note_blocks(notes)):
                prefix = item_lead_in(seg, ref) + " " if ref and i == 0 else ""
                for line in lines:
                    console.print(Text(("  - " if kind == "ul" else prefix) + line))
