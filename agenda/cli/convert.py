import click

from agenda.cli.options import format_option


@click.command("convert")
@click.argument("when")
@click.option("--from", "from_zone", metavar="ZONE",
              help="IANA zone WHEN is written in [default: the bundled meeting's home zone, Europe/Zurich].")
@click.option("--to", "to_zones", multiple=True, metavar="ZONE", help="Convert to this IANA zone (repeatable).")
@click.option("--year", type=click.IntRange(1900, 2200), metavar="YEAR",
              help="The year of a date written without one [default: its next occurrence from today].")
@click.option("--week", metavar="DATE",
              help="For a weekday written alone (\"Tuesday 15:00\"): a day of its week, e.g. 2025-09-22.")
@click.option("--members", "with_members", is_flag=True,
              help="Convert to every member's zone (the default when no --to is given).")
@format_option("table", "json")
def command(when, from_zone, to_zones, year, week, with_members, fmt):
    """One instant to many zones.

    WHEN is a date and time, with an optional label that is checked against the zone:
    "2023-09-26 15:00", "2023-09-26T15:00+02:00", "26 September 2023 15:00 CEST",
    "26th September 2023, 15:00 CEST", "16 May 2023 3pm CEST", in French too
    ("mardi 23 septembre 2025, 15 h 00"). A city names the zone: "24 September 2024 15:00
    (Geneva time)", "3pm Tokyo time", "heure de Genève". A date without its year
    ("3pm CEST on 26 Sept") is read in --year, else at its next occurrence from today, and a
    weekday alone ("Tuesday 15:00") in --week; som says on stderr what it took.

    \b
    Example:
      som convert "26 September 2023 15:00 CEST" --to America/New_York --to Asia/Tokyo
    """
    from agenda.plan.convert import Conversion, targets_for
    from agenda.render.convert import conversion_report
    from agenda.read.load import load_meeting
    from agenda.cli.options import render
    from agenda.model.timeplan import parse_week, parse_when, resolve_zone
    from agenda.effects import clock

    meeting = load_meeting()
    zone = resolve_zone(from_zone) if from_zone else meeting.zone
    place = None if from_zone else meeting.city
    week_day = parse_week(week) if week is not None else None
    parsed = parse_when(when, zone, zone_given=bool(from_zone), place=place, today=clock.today(), year=year,
                        week=week_day)
    members = meeting.members if (with_members or not to_zones) else ()
    conversion = Conversion(when, parsed, parsed.zone, targets_for(tuple(resolve_zone(z) for z in to_zones), members))
    if parsed.assumed:  # once everything is read: an error is the one line on stderr
        click.echo(f"som: note: `{when}`: {parsed.assumed}", err=True)
    render(conversion_report(conversion), fmt)
