import click

from agenda.cli.options import format_option, load_meeting, meeting_argument


@click.command("suggest")
@meeting_argument
@click.option("--between", "between", required=True, metavar="DATE..DATE",
              help="First and last day to consider, in the home zone: 2024-09-02..2024-09-27.")
@click.option("--duration", default="2h", show_default=True, metavar="LENGTH",
              help="Length of the segment: 2h, 90m, 1h30.")
@click.option("--step", default="30m", show_default=True, metavar="LENGTH",
              help="Distance between candidate start times: 15m, 30m, 1h.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many slots to show.")
@click.option("--members", "members", multiple=True, metavar="ID,...",
              help="Only these members (ids or acronyms; repeatable or comma-separated) [default: all].")
@format_option("table", "json", "csv", "md", "svg")
def command(meeting, between, duration, step, top, members, fmt):
    """Ranked start times for a new segment.

    Ranks every start time by how many members are at night (fewest first), how many are
    inside working hours (most first), how far the worst local hour is from anyone's working
    day, and UN Geneva's meeting slots. Weekends in the home zone and the days the General
    Assembly asks to keep free of meetings (resolution 69/250: Orthodox Good Friday, the two
    Eids, Yom Kippur) are left out and named under the table; members' holidays (their duty
    station's official holidays, or their country's public holidays: `som holidays`) count
    against the slot. Times are in the home
    zone of MEETING (the bundled SOM29: Geneva), with its member directory. --format svg
    draws each candidate across one 24-hour band per member city, as `som build` does.

    \b
    Example:
      som suggest --between 2024-09-02..2024-09-27 --duration 2h
      som suggest --between 2024-09-02..2024-09-27 --top 3 --format svg > best.svg
    """
    from agenda.cli.options import render
    from agenda.plan.suggest import Request, parse_between, rank, select_members
    from agenda.render.suggest import suggestion_report
    plan = load_meeting(meeting)
    first, last = parse_between(between)
    request = Request(first, last, _length(duration, "duration"), _length(step, "step"), top)
    suggestion = rank(plan, select_members(plan, members), request)
    if fmt == "svg":  # the candidates as 24-hour bands, one per member city, as the page draws segments
        from agenda.render.suggest import suggestion_svg

        click.echo(suggestion_svg(suggestion), nl=False)
        return
    render(suggestion_report(suggestion), fmt)


def _length(text: str, what: str):
    """parse_duration, with a plain zero (no unit) told apart from text it cannot read."""
    import re

    from agenda.model.errors import SomError
    from agenda.model.timeplan import parse_duration

    if re.fullmatch(r"\s*0+(?:[.,]0*)?\s*", text or ""):
        raise SomError(f"the {what} must be longer than zero", hint="write it like 2h, 90m or 1h30")
    return parse_duration(text, what=what)
