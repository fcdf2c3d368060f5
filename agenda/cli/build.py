from pathlib import Path

import click

from agenda.cli.options import OutputPath, load_meeting, meeting_argument


@click.command("build", short_help="The whole meeting pack in one folder.")
@meeting_argument
@click.option("-o", "--output", "folder", required=True, type=OutputPath(path_type=Path, file_okay=True),
              help="Folder for the meeting pack (created if missing).")
@click.option("--force", is_flag=True, help="Overwrite files in the folder that som did not write.")
@click.option("--internal", is_flag=True,
              help="Make index.html the secretariat's page, with the preparation checklist (default: the members' page).")
@click.option("--base-url", "base_url", metavar="URL", callback=lambda ctx, param, value: _base_url(value),
              help="Where the members' files of the pack will be published (https://…/): adds a webcal:// subscription "
                   "link to the feed. Publish only those files, never the whole folder (see above).")
@click.option("--lang", "lang", metavar="CODES",
              help="Write the agenda in these languages, e.g. en,fr (of en, fr, es, ar, zh, ru; default: the "
                   "meeting's). The first is also the language of schedule.md, the checklist and the page.")
def command(meeting, folder, force, internal, base_url, lang):
    """The whole meeting pack at once: schedule, invitations, agenda, checklist.

    \b
    Writes into FOLDER:
      index.html                   the meeting page: every time in the reader's zone too,
                                   members, agenda, add-to-calendar links (open it in a browser)
      schedule.svg                 each segment as 24-hour bands, one per member city
      history.json                 when each segment's time last changed (for the page)
      index.md                     what is where
      schedule.md|csv|json         every segment in each member's local time
      agenda/<segment>.md|html|docx  the provisional agenda of each segment
      agenda/<lang>/<segment>.*    the same in each further --lang language
      checklist.md, checklist.ics, checklist-events.ics
      invitations/                 as `som invite -o FOLDER/invitations`

    Re-running with nothing changed leaves every file as it was; a changed segment gets an
    update (higher SEQUENCE) in invitations/.

    \b
    Publish only the members' files: index.html (without --internal), schedule.svg,
    schedule.*, agenda/, invitations/*.ics (the feed and each segment's file).
    Keep to the secretariat: checklist*, attendance*, invitations/members/,
    som-issued.toml, send-log.jsonl, som-replies.jsonl, .som-files.json, index.md,
    history.json. The --internal page lists both.

    \b
    Example:
      som build -o pack/
      som build -o pack/ --base-url https://example.org/som29/
      som build -o pack/ --lang en,fr
    """
    import sys

    from rich.table import Table

    from agenda.app.build import build_pack
    from agenda.cli.options import console as make_console
    from agenda.model.meeting import read_languages

    console = make_console(sys.stderr)
    loaded = load_meeting(meeting)
    languages = read_languages(lang) if lang is not None else ()
    with console.status("Building the meeting pack…") as status:
        result = build_pack(loaded, folder, overwrite=force, internal=internal, base_url=base_url, languages=languages,
                            progress=lambda step: status.update(f"Building the meeting pack: {step}…"))
    out = make_console()
    table = Table(title=f"{loaded.title}: meeting pack in {folder}", title_justify="left")
    table.add_column("File")
    table.add_column("What")
    table.add_column("")
    for f, changed in result.files:
        table.add_row(f.name, f.what, "written" if changed else "unchanged")
    invite = result.invitations
    if invite is None:
        table.add_row("invitations/", "left out: the meeting file has no organizer", "")
        out.print(table)
        return
    table.add_row("invitations/", f"{len(invite.plan.files)} calendar files",
                  f"{len(invite.written)} written" if invite.written else "unchanged")
    out.print(table)
    for outcome in invite.outcomes:
        out.print(f"  {outcome.describe()}")
    for note in invite.plan.notes:
        out.print(f"  {note}")
    if invite.plan.skipped:
        out.print(f"  {len(invite.plan.skipped)} members have no e-mail address, so no per-member invitations "
                  "for them: add `emails` in a member directory (see docs/meeting-file.md, \"Member directories\")", soft_wrap=True)


def _base_url(value):
    """An http(s) address, ending in / so that file names can follow it."""
    if value is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise click.BadParameter(f"`{value}` is not an http(s) address of a folder",
                                 param_hint="--base-url")
    text = value.strip()
    return text if text.endswith("/") else text + "/"
