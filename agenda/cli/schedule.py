import click

from agenda.cli.options import format_option, language_of, language_option, load_meeting, meeting_argument, segment_option

# The table's row colour by working hours; a row of a zone asked for with --tz has none (None).
ROW_STYLES: dict[str | None, str] = {"outside": "red", "partly": "yellow"}


@click.command("schedule", short_help="Each segment in every member's local time.")
@meeting_argument
@click.option("--tz", "zones", multiple=True, metavar="ZONE",
              help="Also show this IANA zone, e.g. Pacific/Auckland (repeatable).")
@click.option("--no-members", is_flag=True, help="Leave out the member directory's zones.")
@segment_option()
@format_option("table", "json", "csv", "md")
@language_option("Write the table or Markdown in this language: en, fr, es, ar, zh or ru (default: the "
                 "meeting's). JSON and CSV stay English.")
def command(meeting, zones, no_members, segments, fmt, lang):
    """Every segment in the home zone, UTC and each member's local time.

    Rows are sorted by UTC offset and flag a day shift (+1/−1) and whether the segment falls
    inside the member's working hours (inside, partly, outside). With --lang the headings, column
    names, dates and these words are in that language; times keep their zone abbreviations.

    \b
    Example:
      som schedule calendars/som29.toml --tz Pacific/Auckland --format json
    """
    from agenda.cli.options import render
    from agenda.render.output import Report, Table
    from agenda.plan.schedule import build_schedule
    from agenda.render.schedule import TABLE_SKIPS, hours_summary, schedule_columns, schedule_json, schedule_rows, segment_heading
    from agenda.model.timeplan import resolve_zone

    loaded = load_meeting(meeting)
    language = language_of(loaded, lang)
    if fmt in ("json", "csv"):  # for programs: English keys and values whatever the language
        language = "en"
    plan = build_schedule(loaded, zones=tuple(resolve_zone(z) for z in zones),
                          members=not no_members, segment_ids=segments)
    tables = []
    for seg in plan.segments if fmt != "json" else ():  # each format builds only what it shows
        rows = schedule_rows(seg, language)
        styles = [ROW_STYLES.get(r.span.working_hours) for r in seg.rows]
        summary = hours_summary(seg, language)
        tables.append(Table(schedule_columns(language), rows, title=segment_heading(plan.meeting, seg.segment, language),
                            footer=[summary] if summary else [], styles=styles, csv_only=TABLE_SKIPS))
    render(Report(tables, schedule_json(plan) if fmt == "json" else {}), fmt)
