from pathlib import Path

import click

from agenda.commands.options import format_option, load_meeting, meeting_argument, segment_option


@click.command("invite")
@meeting_argument
@click.option("-o", "--output", "output", required=True, metavar="DIR",
              type=click.Path(path_type=Path),
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
@click.option("--smtp-host", metavar="HOST", help="SMTP server (or SOM_SMTP_HOST).")
@click.option("--smtp-port", type=int, metavar="PORT", help="SMTP port (or SOM_SMTP_PORT).")
@click.option("--smtp-security", type=click.Choice(["starttls", "ssl", "none"]),
              help="starttls, ssl or none (or SOM_SMTP_SECURITY).")
@click.option("--smtp-user", metavar="USER", help="SMTP user (or SOM_SMTP_USER); the password only from SOM_SMTP_PASSWORD.")
@format_option("table", "json")
def command(meeting: Path | None, output: Path, segments: tuple[str, ...], no_members: bool, cancel: tuple[str, ...],
            alarm: int | None, no_alarm: bool, dry_run: bool, force: bool, eml: bool, send: bool,
            smtp_host: str | None, smtp_port: int | None, smtp_security: str | None, smtp_user: str | None,
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
    """
    from agenda.errors import SomError
    from agenda.invite import DEFAULT_ALARM_MINUTES, InviteOptions, apply_plan, plan_invitations

    if alarm is not None and no_alarm:
        raise click.UsageError("--alarm and --no-alarm contradict each other: give one")
    smtp = {"host": smtp_host, "port": smtp_port, "security": smtp_security, "user": smtp_user}
    if any(v is not None for v in smtp.values()) and not send:
        raise click.UsageError("the --smtp-* options only apply with --send")
    options = InviteOptions(
        segments=segments, members=not no_members, cancel=cancel,
        alarm_minutes=None if no_alarm else (alarm or DEFAULT_ALARM_MINUTES),
        dry_run=dry_run, force=force, eml=eml)
    plan = plan_invitations(load_meeting(meeting), output, options)
    if send and not plan.members:
        raise SomError("--send: no per-member invitation to send (no member of the directory has an e-mail address)",
                       hint="add `emails` to members in a directory that says extends = \"un-entities\"")
    result = apply_plan(plan)
    _render(result, fmt)
    if send:
        _send(result, smtp)


def _render(result, fmt):
    from agenda.output import Report, Table, render

    plan = result.plan
    rows = [[o.segment.id, o.state, str(o.version.sequence), f"{o.version.dtstamp:%Y-%m-%dT%H:%M:%SZ}",
             str(len(o.files)), "; ".join(o.changes)] for o in plan.outcomes]
    verb = "would write" if result.dry_run else "wrote"
    unchanged = len(plan.files) - len(result.written)
    notes = [o.describe() for o in plan.outcomes]
    notes += list(plan.notes)
    if plan.feed is None:
        notes.append("feed not written: it carries every segment, and --segment limited this run")
    if plan.skipped:
        directory = plan.meeting.directory
        where = (f"in {directory.source}" if directory.source else
                 f"in a directory of your own that says extends = \"{directory.name}\"")
        notes.append(f"{len(plan.skipped)} of {len(plan.meeting.members)} members have no e-mail address and get no "
                     f"per-member invitation (add their `emails` {where})")
    notes.append(f"{verb} {len(result.written)} files in {plan.root} ({unchanged} unchanged)"
                 + ("" if result.dry_run else f"; record: {plan.root / 'som-issued.toml'}"))
    payload = {
        "meeting": plan.meeting.id,
        "output": str(plan.root),
        "dry_run": result.dry_run,
        "feed": plan.feed,
        "segments": [{
            "id": o.segment.id,
            "state": o.state,
            "changes": list(o.changes),
            "uid": o.version.uid,
            "sequence": o.version.sequence,
            "sequence_before": o.before.sequence if o.before else None,
            "dtstamp": f"{o.version.dtstamp:%Y-%m-%dT%H:%M:%SZ}",
            "status": o.version.values["status"],
            "files": list(o.files),
        } for o in plan.outcomes],
        "written": list(result.written),
        "unchanged": unchanged,
        "members_without_email": [m.id for m in plan.skipped],
        "notes": list(plan.notes),
    }
    table = Table(("Segment", "State", "SEQUENCE", "DTSTAMP", "Files", "What changed"), rows,
                  title=f"Invitations of {plan.meeting.id} in {plan.root}")
    render(Report([table], payload, notes=notes), fmt)


def _send(result, smtp):
    from rich.console import Console
    from rich.progress import Progress

    from agenda import mail
    from agenda.invite import SEND_LOG, mail_invitation

    invitations = [mail_invitation(inv) for inv in result.plan.members]
    settings = mail.SmtpSettings.resolve(**smtp)
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("sending invitations", total=len(invitations))
        report = mail.send_invitations(invitations, settings, result.plan.root / SEND_LOG, dry_run=result.dry_run,
                                       progress=lambda done, total, *_: bar.update(task, completed=done, total=total))
    verb = "would send" if report.dry_run else "sent"
    click.echo(f"{verb} {report.sent} invitations, {report.skipped} skipped (everyone already had that version)"
               + (f", {report.failed} failed" if report.failed else "")
               + ("" if report.dry_run else f"; send log: {result.plan.root / SEND_LOG}"))
