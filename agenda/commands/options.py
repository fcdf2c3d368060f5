"""Arguments and options that several commands share, defined once."""

from __future__ import annotations

from pathlib import Path

import click

meeting_argument = click.argument(
    "meeting", required=False, type=click.Path(path_type=Path, dir_okay=False),
    metavar="[MEETING]")


def format_option(*choices: str, default: str = "table"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: " + ", ".join(choices) + ".")


def segment_option(help_text: str = "Only this segment (repeatable)."):
    return click.option("--segment", "segments", multiple=True, metavar="ID", help=help_text)


def load_meeting(path: Path | None):
    from agenda.load import load_meeting as load

    return load(path)
