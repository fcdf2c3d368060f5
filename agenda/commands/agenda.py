import click

from agenda.commands.options import emit, format_option, load_meeting, meeting_argument, output_option, segment_option


@click.command("agenda")
@meeting_argument
@segment_option("Only this segment (repeatable); all segments when omitted.")
@format_option("table", "md", "html", "docx")
@output_option()
def command(meeting, segments, fmt, output, force):
    """The provisional agenda of each segment, as the secretariat issues it.

    Body and meeting title, document symbol and distribution, date and time in the home zone
    and in UTC, venue, online link and chair; numbered items with sub-items (a), (b), ...,
    their lead entity, documents and planned start time (from the items' minutes), a warning
    when the items overrun the segment, and the annotations. `html` is one self-contained
    printable file; `docx` a Word document (needs -o FILE on a terminal).

    \b
    Example:
      som agenda --segment midterm --format docx -o agenda.docx
    """
    from agenda.agenda_doc import agenda_document, print_agenda, to_docx_bytes, to_html, to_markdown

    doc = agenda_document(load_meeting(meeting), segments)
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
