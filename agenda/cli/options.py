"""Arguments and options that several commands share, defined once."""

from __future__ import annotations

from pathlib import Path

import click

meeting_argument = click.argument(
    "meeting", required=False, type=click.Path(path_type=Path, dir_okay=False),
    metavar="[MEETING]")


class OutputPath(click.Path):
    """A path option whose empty value is refused rather than read as the current folder."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("is empty: name a folder (it is created if missing)", param, ctx)
        return super().convert(value, param, ctx)


def format_option(*choices: str, default: str = "table"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: " + ", ".join(choices) + ".")


def segment_option(help_text: str = "Only this segment (repeatable)."):
    return click.option("--segment", "segments", multiple=True, metavar="ID", help=help_text)


def load_meeting(path: Path | None):
    from agenda.read.load import load_meeting as load

    return load(path)


def output_option(help_text: str = "Write to FILE (atomically) instead of standard output."):
    """-o FILE and --force (the command gets `output` and `force`)."""
    output = click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE", help=help_text)
    force = click.option("--force", is_flag=True,
                         help="With -o: overwrite FILE even if som did not write it, or it was edited since.")
    return lambda f: output(force(f))


def emit(data: bytes, output: Path | None, *, binary: bool = False, force: bool = False) -> None:
    """Write a rendered result to -o FILE (never over a file som did not write, unless `force`),
    or to standard output."""
    from agenda.effects.files import write_file

    if output is not None:
        if output.is_dir():
            from agenda.model.errors import SomError

            raise SomError(f"{output} is a folder; -o names the file to write", hint=f"e.g. -o {output / 'agenda.md'}")
        write_file(output, data, overwrite=force)
        return
    if binary and stdout_is_terminal():
        from agenda.model.errors import SomError

        raise SomError("this format is binary and standard output is a terminal", hint="add -o FILE")
    click.echo(data, nl=False)


def stdout_is_terminal() -> bool:
    import sys

    return sys.stdout.isatty()


def whole_lines(file) -> bool:
    """Off a terminal rich would wrap at 80 columns: a pipe or a file gets whole lines (unless
    COLUMNS says how wide)."""
    import os

    return not file.isatty() and "COLUMNS" not in os.environ


def console(file=None, **options):
    """agenda.render.output.console, as wide as the terminal (or whole lines off one)."""
    import sys

    from agenda.render.output import console as make_console

    file = file or sys.stdout
    return make_console(file, wide=whole_lines(file), **options)


def render(report, fmt: str, file=None) -> None:
    """agenda.render.output.render on standard output or `file`, told whether that is a terminal."""
    import sys

    from agenda.render.output import render as render_as

    file = file or sys.stdout
    render_as(report, fmt, file, wide=whole_lines(file))


def language_option(help_text: str = "Write in this language: en, fr, es, ar, zh or ru (default: the meeting's)."):
    """--lang CODE (the command gets `lang`: the code as given, or None for the meeting's language)."""
    return click.option("--lang", "lang", metavar="CODE", help=help_text)


def language_of(meeting, lang: str | None) -> str:
    """The one language --lang names (checked), or the meeting's."""
    from agenda.model.meeting import read_languages

    if lang is None:
        return meeting.language
    languages = read_languages(lang)
    if len(languages) != 1:
        from agenda.model.errors import BadValue

        raise BadValue("languages", lang, "names more than one language", hint="name one here (som build takes several)")
    return languages[0]
