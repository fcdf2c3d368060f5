import click

from agenda.cli.options import format_option


@click.command("convert")
@click.argument("when")
@click.option("--from", "from_zone", metavar="ZONE",
              help="IANA zone WHEN is written in [default: the bundled meeting's home zone, Europe/Zurich].")
@click.option("--to", "to_zones", multiple=True, metavar="ZONE", help="Convert to this IANA zone (repeatable).")
@click.option("--members", "with_members", is_flag=True,
              help="Convert to every member's zone (the default when no --to is given).")
@format_option("table", "json")
def command(when, from_zone, to_zones, with_members, fmt):
    """One instant to many zones.

    WHEN is a date and time, with an optional label that is checked against the zone:
    "2023-09-26 15:00", "2023-09-26T15:00+02:00", "26 September 2023 15:00 CEST",
    "26th September 2023, 15:00 CEST", "16 May 2023 3pm CEST".

    \b
    Example:
      som convert "26 September 2023 15:00 CEST" --to America/New_York --to Asia/Tokyo
    """
    from agenda.plan.convert import Conversion, targets_for
    from agenda.render.convert import conversion_report
    from agenda.read.load import load_meeting
    from agenda.cli.options import render
    from agenda.model.timeplan import parse_when, resolve_zone

    meeting = load_meeting()
    zone = resolve_zone(from_zone) if from_zone else meeting.zone
    place = None if from_zone else meeting.city
    parsed = parse_when(when, zone, zone_given=bool(from_zone), place=place)
    members = meeting.members if (with_members or not to_zones) else ()
    conversion = Conversion(when, parsed, parsed.zone, targets_for(tuple(resolve_zone(z) for z in to_zones), members))
    render(conversion_report(conversion), fmt)
