import click

from agenda.cli.options import (emit, format_option, language_of, language_option, load_meeting, meeting_argument,
                                output_option, segment_option)


STATUS_STYLES = {"overdue": "red", "due soon": "yellow", "done": "dim", "past": "dim"}


def styled_report(checklist, lang: str = "en"):
    """The checklist's report with a colour per row by its task's status."""
    from agenda.render.checklist import checklist_report

    report = checklist_report(checklist, lang)
    report.tables[0].styles = [STATUS_STYLES.get(t.status) for t in checklist.tasks]
    return report


@click.command("checklist")
@meeting_argument
@segment_option("Only this segment's tasks (repeatable); all when omitted.")
@click.option("--today", metavar="DATE", help="Count overdue and due-this-week from DATE (YYYY-MM-DD) [default: today].")
@format_option("table", "md", "json", "csv", "ics")
@click.option("--as-events", is_flag=True,
              help="With --format ics: all-day VEVENTs instead of VTODOs (Outlook and Google ignore VTODO).")
@language_option("Write the checklist in this language: en, fr, es, ar, zh or ru (default: the meeting's). "
                 "Titles a [[task]] gives stay as written.")
@output_option()
def command(meeting, segments, today, fmt, as_events, lang, output, force):
    """Preparation tasks with due dates, owners and status.

    Each segment gets the template below, counted from its date; a [[task]] in the meeting
    file with a template title overrides that task, any other [[task]] is added. A due date on
    a weekend or a holiday of the home city (Geneva for the EMG: the duty-station calendar its
    members there all name, else the country's public holidays) moves to the working day
    before, and the Note column says so. Overdue tasks are red, tasks due within 7 days
    yellow. Once a segment has taken place, its open preparation tasks are "past", not
    overdue; its follow-ups are overdue when late (the rule `som check` uses for deadlines).

    \b
    Template (T = the segment's date):
      T-14 weeks  Confirm the document forecast
      T-10 weeks  Submit pre-session documents for processing
      T-8 weeks   Send invitations and save-the-date
      T-6 weeks   Distribute documents (provisional agenda, progress report)
      T-4 weeks   Request input from <lead> on item <n>: <title>  (each item with a lead)
      T-2 weeks   Confirm speakers
      T-2 weeks   Last day to cancel paid services
      T-1 week    Test the online platform
      T-1 week    Circulate the final agenda
      T-1 day     Send reminders
      T+1 week    Circulate the draft summary
      T+2 weeks   Issue the final report

    \b
    Example:
      som checklist --today 2023-09-20
      som checklist --format ics -o prep.ics
      som checklist --lang fr --format ics -o preparation.ics
    """
    from agenda.effects import clock
    from agenda.effects.clock import build_stamp
    from agenda.plan import checklist as cl
    from agenda.render.checklist import checklist_ics
    if as_events and fmt != "ics":
        from agenda.model.errors import SomError

        raise SomError("--as-events goes with --format ics", hint="add --format ics, or drop --as-events")
    day = cl.parse_today(today) if today is not None else clock.today()
    checklist = cl.build_checklist(load_meeting(meeting), day, segments)
    lang = language_of(checklist.meeting, lang)
    if fmt == "ics":
        emit(checklist_ics(checklist, as_events=as_events, stamp=build_stamp(checklist.meeting), lang=lang), output,
             force=force)
        return
    from agenda.cli.options import render

    if output is None:
        render(styled_report(checklist, lang), fmt)
        return
    import io

    buf = io.StringIO()
    render(styled_report(checklist, lang), fmt, file=buf)
    emit(buf.getvalue().encode("utf-8"), output, force=force)
