import click

from agenda.cli.options import format_option


@click.command("members", short_help="The member directory.")
@click.argument("directory", required=False, metavar="[DIRECTORY]")
@format_option("table", "json", "csv", "md")
def command(directory, fmt):
    """The member directory: the bundled `un-entities`, or a directory file.

    \b
    Example:
      som members --format csv
    """
    from pathlib import Path

    from agenda.read.load import load_directory
    from agenda.render.members import members_report
    from agenda.cli.options import render

    ref = Path(directory) if directory and ("/" in directory or directory.endswith(".toml")) else directory
    render(members_report(load_directory(ref)), fmt)
