from pathlib import Path

import click


@click.command("import-report", short_help="A report or notice in prose → a meeting file.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the meeting file here [default: standard output].")
@click.option("--force", is_flag=True, help="With -o: overwrite FILE even if som did not write it, or it was edited since.")
@click.option("--timezone", "zone", metavar="ZONE",
              help='IANA zone the times are written in [default: the city the text names ("Geneva time"), '
                   'else Europe/Zurich].')
def command(file, output, force, zone):
    """Read a meeting report or notice written in prose into a meeting file.

    Reads the meeting's number and title, every segment with date and time (the report's own
    meeting and those it announces), venue or platform, document symbols and agenda items.
    Time labels are checked as in any meeting file. What it could not read is listed on
    stderr (and as comments at the top of the file); nothing is invented.

    \b
    Example:
      som import-report notice.txt -o calendars/som30.toml
    """
    from functools import partial

    from agenda.app.import_report import import_report_file
    from agenda.cli.errors import worded
    from agenda.effects.files import write_file

    result = import_report_file(file, zone=zone, say=partial(worded, command="import-report"))
    for warning in result.warnings:
        click.echo(f"som: warning: {warning}", err=True)
    if output is None:
        click.echo(result.toml, nl=False)
        return
    write_file(output, result.toml.encode("utf-8"), overwrite=force)
    click.echo(f"som: wrote {output} ({len(result.meeting.segments)} segments); check it with "
               f"`som schedule {output}`", err=True)
