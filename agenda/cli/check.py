import click

from agenda.cli.options import format_option, load_meeting, meeting_argument


SEVERITY_STYLES = {"error": "red", "warning": "yellow", "info": "dim"}


@click.command("check")
@meeting_argument
@click.option("--today", metavar="DATE", help="Count deadlines from this date (YYYY-MM-DD) [default: today].")
@format_option("table", "json", "csv", "md")
@click.pass_context
def command(ctx, meeting, today, fmt):
    """What is wrong with a plan, and for whom.

    Findings (error, warning or info) for holidays (members' duty-station calendars, see
    `som holidays`, else their country's public holidays), members at night or outside working
    hours, weekends, weeks when two zones are an hour closer or further apart than usual,
    overlapping segments, a senior segment before its technical one, agendas longer than
    their slot, times outside UN Geneva's meeting slots and overdue tasks.
    Exits 1 when there is an error, else 0.

    \b
    Example:
      som check calendars/som29.toml --format json
    """
    from agenda.effects import clock
    from agenda.plan import checklist
    from agenda.plan.check import check_meeting
    from agenda.render.check import check_report
    from agenda.model.errors import EXIT_FINDINGS
    from agenda.cli.options import render

    plan = load_meeting(meeting)
    day = checklist.parse_today(today) if today is not None else clock.today()
    result = check_meeting(plan, today=day)
    report = check_report(result)
    report.tables[0].styles = [SEVERITY_STYLES[f.severity] for f in result.findings]
    render(report, fmt)
    if result.has_errors:
        ctx.exit(EXIT_FINDINGS)
