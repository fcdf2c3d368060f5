from pathlib import Path

import click

from agenda.cli.options import OutputPath, format_option, load_meeting, meeting_argument, segment_option


@click.command("invite", short_help="Calendar invitations, updates, cancellations.")
@meeting_argument
@click.option("-o", "--output", "output", required=True, metavar="DIR",
              type=OutputPath(path_type=Path),
              help="Folder for the .ics files (created if missing; re-run into it to issue updates).")
@segment_option("Only this segment (repeatable); the feed, which carries every segment, is then left alone.")
@click.option("--no-members", is_flag=True, help="No per-member invitations, only the feed and per-segment files.")
@click.option("--cancel", "cancel", multiple=True, metavar="ID",
              help="Cancel this segment: METHOD:CANCEL to members, STATUS:CANCELLED in the feed (repeatable).")
@click.option("--alarm", "alarm", type=click.IntRange(1, 40320), metavar="MINUTES",
              help="Reminder this many minutes before the start (default 15).")
@click.option("--no-alarm", is_flag=True, help="No reminder in the files.")
@click.option("--dry-run", is_flag=True, help="Say what would be written (and sent), write nothing.")
@click.option("--force", is_flag=True, help="Overwrite files in DIR that som did not write.")
@click.option("--eml", is_flag=True, help="Also write an iMIP e-mail (.eml) next to each per-member invitation.")
@click.option("--send", is_flag=True, help="E-mail the per-member invitations over SMTP (resumes where it stopped).")
@click.option("--remind", "remind", multiple=True, metavar="ID",
              help="With --send: e-mail this segment's invitation again, asking for a reply, only to members who "
                   "have not replied (see som replies); nobody is reminded twice (repeatable).")
@click.option("--smtp-host", metavar="HOST", help="SMTP server (or SOM_SMTP_HOST).")
@click.option("--smtp-port", type=int, metavar="PORT", help="SMTP port (or SOM_SMTP_PORT).")
@click.option("--smtp-security", type=click.Choice(["starttls", "ssl", "none"]),
              help="starttls, ssl or none (or SOM_SMTP_SECURITY).")
@click.option("--smtp-user", metavar="USER", help="SMTP user (or SOM_SMTP_USER); the password only from SOM_SMTP_PASSWORD.")
@format_option("table", "json")
def command(meeting: Path | None, output: Path, segments: tuple[str, ...], no_members: bool, cancel: tuple[str, ...],
            alarm: int | None, no_alarm: bool, dry_run: bool, force: bool, eml: bool, send: bool,
            remind: tuple[str, ...], smtp_host: str | None, smtp_port: int | None, smtp_security: str | None, smtp_user: str | None,
            fmt: str):
    """Calendar invitations: a feed of all segments, one file per segment, per-member invitations.

    Re-run into the same folder to issue updates: a segment whose date, time, place, title
    or status changed gets SEQUENCE + 1 and replaces what members have; nothing changed
    writes the same bytes. The record of what was issued is DIR/som-issued.toml.

    \b
    Examples:
      som invite -o invitations/
      som invite calendars/som29.toml -o invitations/ --eml
      som invite -o invitations/ --cancel senior
      som invite -o invitations/ --send --dry-run
      som invite -o invitations/ --send --remind technical
    """
    from agenda.model.errors import SomError
    from agenda.app.invite import InviteOptions, apply_plan, plan_invitations
    from agenda.plan.invite import DEFAULT_ALARM_MINUTES

    if alarm is not None and no_alarm:
        raise click.UsageError("--alarm and --no-alarm contradict each other: give one")
    smtp = {"host": smtp_host, "port": smtp_port, "security": smtp_security, "user": smtp_user}
    if any(v is not None for v in smtp.values()) and not send:
        raise click.UsageError("the --smtp-* options only apply with --send")
    if remind and not send:
        raise click.UsageError("--remind sends reminders: add --send (with --dry-run to see who would get one)")
    if remind and (cancel or segments):
        raise click.UsageError("--remind goes alone: it re-sends the current invitation of each segment it names; "
                               "drop --cancel and --segment")
    if remind:
        segments = remind  # only these segments are planned (and, if unchanged, written as they were)
    options = InviteOptions(
        segments=segments, members=not no_members, cancel=cancel,
        alarm_minutes=None if no_alarm else (alarm or DEFAULT_ALARM_MINUTES),
        dry_run=dry_run, overwrite=force, eml=eml)
    # Nothing changed since a run that changed nothing: its report, without planning again
    # (agenda/app/rerun.py says what is checked). Whatever acts (sends, cancels, overwrites) or
    # only looks (a dry run) takes the full path.
    quiet = not (send or cancel or dry_run or force)
    params = dict(click.get_current_context().params)
    if quiet:
        from agenda.app.rerun import replay

        entry = replay(output, params=params, options=options)
        if entry is not None:
            _render_report([], entry["payload"], entry["notes"], fmt)
            return
    from agenda.read.load import files_read

    with files_read() as files:
        loaded = load_meeting(meeting)
    plan = plan_invitations(loaded, output, options)
    if send and not plan.members:
        raise SomError("--send: no per-member invitation to send (no member of the directory has an e-mail address)",
                       hint="add `emails` to members in a directory that says extends = \"un-entities\"")
    if remind:
        changed = [o.segment.id for o in plan.outcomes if o.state != "unchanged"]
        if changed:
            raise click.UsageError(f"{', '.join(changed)} changed since it was issued: send the update to everyone "
                                   f"first (som invite --send, without --remind), then remind")
    settings = None
    if send:  # settings checked before anything is written (a bad password must not leave a half-done run)
        from agenda.effects.mail import SmtpSettings

        settings = SmtpSettings.resolve(smtp_host, smtp_port, smtp_security, smtp_user)
    result = apply_plan(plan)
    if not send:
        tables, payload, notes = _report(result, None)
        # only a run that wrote nothing: its report is the one a run with nothing changed gives
        if quiet and not result.written and all(o.state in ("unchanged", "unissued") for o in plan.outcomes):
            from agenda.app.rerun import remember
            from agenda.plan.invite import RECORD

            try:  # a note for the next run: not being able to leave it changes nothing of this one
                remember(plan.output, files=files, meeting=loaded, names=[*plan.files, RECORD], params=params,
                         options=options, notes=notes, payload=payload)
            except SomError:
                pass
        _render_report(tables, payload, notes, fmt)
        return
    from agenda.effects.mail import SendFailed

    reminders = None
    if remind:
        from agenda.app.remind import plan_reminders

        reminders = plan_reminders(result, remind)
    try:
        report = _send(result, settings, reminders)
    except SendFailed as exc:  # say what did go out, then the error
        _render(result, exc.report, fmt, reminders)
        raise
    _render(result, report, fmt, reminders)


def _render(result, report, fmt, reminders=None):
    """The segments as lines (one each), the notes, and with --send one row per message.

    With --format json everything, the send included, is one JSON document on stdout.
    """
    tables, payload, notes = _report(result, report, reminders)
    _render_report(tables, payload, notes, fmt)


def _render_report(tables, payload, notes, fmt):
    from agenda.cli.options import render
    from agenda.render.output import Report

    render(Report(tables, payload, notes=notes), fmt)


def _report(result, report, reminders=None):
    """(tables, JSON document, notes) of a run."""
    from agenda.plan.invite import RECORD, SEND_LOG
    from agenda.render.invite import invite_json
    from agenda.render.output import Table

    plan = result.plan
    verb = "would write" if result.dry_run else "wrote"
    unchanged = len(plan.files) - len(result.written)
    notes = [o.describe() for o in plan.outcomes]
    notes += list(plan.notes)
    if plan.feed is None and reminders is None:
        notes.append("feed not written: it carries every segment, and --segment limited this run")
    if report is not None:
        from datetime import datetime, timezone

        now = datetime.now(timezone.utc)
        held = [o.segment for o in plan.outcomes if o.segment.end < now and any(
            m.segment.id == o.segment.id for m in plan.members)]
        if held:
            notes.append("note: " + ", ".join(f"{s.id} ({s.start:%d %b %Y})" for s in held)
                         + " already took place: these invitations are for segments in the past")
    if plan.skipped:
        directory = plan.meeting.directory
        where = (f"in {directory.source}" if directory.source else
                 f"in a directory of your own that says extends = \"{directory.name}\"")
        notes.append(f"{len(plan.skipped)} of {len(plan.meeting.members)} members have no e-mail address and get no "
                     f"per-member invitation (add their `emails` {where})")
    notes.append(f"{verb} {len(result.written)} files in {plan.root} ({unchanged} unchanged)"
                 + ("" if result.dry_run else f"; record: {plan.root / RECORD}"))
    payload = invite_json(result, report, reminders.members if reminders is not None else None)
    tables = []
    if report is not None:
        messages = payload["send"]["messages"]
        tables.append(Table(("Member", "Addresses", "Segment", "METHOD", "SEQUENCE", "Status"),
                            [[m["acronym"], ", ".join(m["addresses"]), m["segment"], m["method"], str(m["sequence"]),
                              m["status"]] for m in messages],
                            title=("Would send" if report.dry_run else "Sent") + f" from {plan.root}"))
        verb = "would send" if report.dry_run else "sent"
        if reminders is not None:
            n = reminders.replied
            notes.append(f"{n} member{' has' if n == 1 else 's have'} replied and {'is' if n == 1 else 'are'} "
                         "not reminded")
        notes.append(f"{verb} {report.sent} {'reminders' if reminders is not None else 'invitations'}, "
                     f"{report.skipped} skipped "
                     + ("(already reminded)" if reminders is not None else
                        "(everyone already had that version, or, for a cancellation, nobody was sent the "
                        "invitation it takes back)")
                     + (f", {report.failed} failed" if report.failed else "")
                     + ("" if report.dry_run else f"; send log: {plan.root / SEND_LOG}"))
    return tables, payload, notes


def _send(result, settings, reminders=None):
    """Send (or, in a dry run, check) every per-member invitation, or the reminders; the mail report."""
    import sys

    from rich.progress import Progress

    from agenda.effects import mail
    from agenda.app.invite import mail_invitation
    from agenda.plan.invite import SEND_LOG
    from agenda.cli.options import console

    invitations = (list(reminders.invitations) if reminders is not None
                   else [mail_invitation(inv) for inv in result.plan.members])
    # The bar is for a person watching; a script reading stderr gets nothing from it.
    with Progress(console=console(sys.stderr), transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("sending reminders" if reminders is not None else "sending invitations",
                            total=len(invitations))
        return mail.send_invitations(invitations, settings, result.plan.root / SEND_LOG, dry_run=result.dry_run,
                                     progress=lambda done, total, *_: bar.update(task, completed=done, total=total))
