from pathlib import Path

import click

from agenda.cli.options import format_option, load_meeting, segment_option


@click.command("replies", short_help="Members' replies to the invitations, and the attendance.")
@click.argument("args", nargs=-1, metavar="[MEETING] [SOURCE]...")
@click.option("-o", "--output", "folder", required=True, metavar="DIR", type=click.Path(path_type=Path),
              help="The folder the invitations were issued into (by som invite), or the pack (by som build).")
@segment_option("Only this segment in the attendance (repeatable).")
@click.option("--participants", is_flag=True, help="The list of participants of each segment, by entity, as a meeting report annexes it.")
@click.option("--allow-plain-imap", is_flag=True,
              help="Allow imap:// (unencrypted unless the server offers STARTTLS); imaps:// needs no flag.")
@format_option("table", "json", "csv", "md")
def command(args: tuple[str, ...], folder: Path, segments: tuple[str, ...], participants: bool,
            allow_plain_imap: bool, fmt: str):
    """Read the members' replies to the invitations issued into DIR, record them there and
    print the attendance of each segment. With no SOURCE, print what is recorded. MEETING
    (the bundled meeting when left out) is the first argument when it ends in .toml.

    \b
    SOURCE is any of:
      reply.eml                an e-mail message (any number of them)
      replies.mbox             an mbox file
      Maildir/                 a Maildir folder (cur/, new/)
      imaps://user@host/INBOX  an IMAP mailbox, read-only; the password from
                               SOM_IMAP_PASSWORD, else asked for (never an option)

    A message read twice counts once; a later reply from an address replaces its earlier one;
    a reply to an earlier version of a segment is shown as such. Messages that do not count
    (not a reply, a COUNTER or REFRESH, an unknown address or UID, a broken message) are listed.

    \b
    Examples:
      som replies -o invitations/ ~/Mail/replies/
      som replies calendars/som29.toml -o pack/ imaps://secretariat@mail.example.org/INBOX
      som replies -o pack/ --participants --format md
    """
    import sys

    from agenda.app.replies import attendance_of, issued_folder, read_replies
    from agenda.effects.mailbox import ImapAccess, is_imap, parse_imap_url
    from agenda.cli.options import render
    from agenda.render.attendance import attendance_report, participants_report, participants_text, read_summary

    meeting_path, sources = _split(args)
    for spec in sources:
        if is_imap(spec) and spec.lower().startswith("imap://") and not allow_plain_imap:
            raise click.UsageError(f"{parse_imap_url(spec)} is plain IMAP: the password would cross the network "
                                   "unencrypted; use imaps://, or pass --allow-plain-imap")
    meeting = load_meeting(meeting_path)
    where = issued_folder(folder)
    result = None
    if sources:
        def prompt(account: str) -> str:
            if not sys.stdin.isatty():
                return ""
            return click.prompt(f"IMAP password for {account}", hide_input=True, err=True)

        def skipped(source: str, reason: str) -> None:
            from agenda.cli import one_line

            click.echo(f"som: skipped {one_line(source)}: {one_line(reason)}", err=True)

        result = read_replies(meeting, where, sources, imap=ImapAccess(prompt=prompt, allow_plain=allow_plain_imap),
                              on_skip=skipped)
    attendance = attendance_of(meeting, where, segments or None)
    notes = []
    if result is not None:
        counted = attendance.counted_of(result.new_keys)
        notes.append(f"{read_summary(result.read, counted, result.new - counted, result.known)}; "
                     f"record: {where / 'som-replies.jsonl'}")
    if participants:
        if fmt in ("table", "md"):
            click.echo(participants_text(attendance, markdown=fmt == "md"), nl=False)
        else:
            render(participants_report(attendance), fmt)
        return
    report = attendance_report(attendance, notes, terminal=fmt == "table")
    if fmt == "table":
        from agenda.cli import one_line

        report.notes = [one_line(n) for n in report.notes]
        for table in report.tables:
            table.rows = [[one_line(str(c)) for c in row] for row in table.rows]
    render(report, fmt)


def _split(args: tuple[str, ...]) -> tuple[Path | None, list[str]]:
    """[MEETING] [SOURCE]...: the first argument is the meeting when it is a .toml file."""
    if args and args[0].lower().endswith(".toml"):
        return Path(args[0]), list(args[1:])
    return None, list(args)
