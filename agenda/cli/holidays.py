import click

from agenda.cli.options import emit, format_option, output_option


@click.command("holidays", short_help="Holiday calendars of the members' duty stations.")
@click.argument("year", required=False, type=click.IntRange(1970, 2200), metavar="[YEAR]")
@click.option("--member", "member", metavar="ID", help="The calendar this member follows (id or acronym).")
@click.option("--calendar", "calendar", metavar="NAME", help="A calendar by name, e.g. un-new-york.")
@click.option("--directory", "directory", metavar="DIRECTORY",
              help="A member directory file or bundled name  [default: un-entities].")
@format_option("table", "json", "csv", "md", "ics")
@output_option()
def command(year, member, calendar, directory, fmt, output, force):
    """Official holidays of a duty station, with the source of each date.

    Without --member or --calendar: every calendar the directory knows, the years it covers,
    how many dates are projected, and which members follow it (the others keep their
    country's public holidays). With --calendar NAME: its dates in YEAR (all years when
    YEAR is left out). With --member ID: the calendar that member follows in YEAR [default:
    this year], or its country's public holidays. "projected" marks a date worked out from
    the duty station's rules because no list was published for the year; "floating" a day
    each staff member may choose (som check reports it as info, not a warning).

    \b
    Example:
      som holidays 2024 --calendar un-new-york
      som holidays 2025 --member UNEP
      som holidays 2024 --calendar un-geneva --format ics -o un-geneva-2024.ics
    """
    from pathlib import Path

    from agenda.effects import clock
    from agenda.model.errors import SomError
    from agenda.plan import holidays as plan
    from agenda.read.load import load_directory
    from agenda.render.holidays import listing_ics, listing_report, overview_report

    if member and calendar:
        raise SomError("--member and --calendar name a calendar each", hint="keep one of the two")
    if fmt == "ics" and not (member or calendar):
        raise SomError("--format ics needs one calendar", hint="add --calendar NAME or --member ID")
    ref = Path(directory) if directory and ("/" in directory or directory.endswith(".toml")) else directory
    found = load_directory(ref)
    if member:
        listing = plan.member_listing(found, member, year if year is not None else clock.today().year)
    elif calendar:
        listing = plan.calendar_listing(found, calendar, year)
    else:
        listing = None
    if listing is not None and fmt == "ics":
        emit(listing_ics(listing, stamp=clock.source_date_epoch()), output, force=force)
        return
    report = listing_report(listing) if listing is not None else overview_report(plan.overview(found))
    from agenda.cli.options import render

    if output is None:
        render(report, fmt)
        return
    import io

    buf = io.StringIO()
    render(report, fmt, file=buf)
    emit(buf.getvalue().encode("utf-8"), output, force=force)
