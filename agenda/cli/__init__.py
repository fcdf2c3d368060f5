"""The `som` command: a thin Click layer over the library.

Each command parses its arguments, calls the library and renders the result. Errors become
messages here and only here: a SomError is bad input (one line, exit 2; agenda.cli.errors
words it with the options where the library names its parameters), anything else is a bug
(one line that says where to report it, exit 3; `--verbose` shows the traceback).
Heavy modules (rich, holidays) are imported inside the commands so that
`som --help` stays instant.
"""

from __future__ import annotations

import gc
import sys

import click

from agenda import __version__

FULL_COLLECTIONS_NEVER = 1 << 30  # gc's third threshold: full collections after that many young ones

ISSUES_URL = "the som issue tracker (include the command, the meeting file and `som --version`)"

COMMANDS = {
    # name: module in agenda.cli, in the order `som --help` lists them
    "schedule": "schedule",
    "convert": "convert",
    "members": "members",
    "holidays": "holidays",
    "invite": "invite",
    "replies": "replies",
    "agenda": "agenda",
    "checklist": "checklist",
    "check": "check",
    "suggest": "suggest",
    "import-report": "import_report",
    "build": "build",
}


# What `som --help` lists for each command, so that it imports none of their modules (each
# defines its options when imported); a test checks each against the command's own help.
SUMMARIES = {
    "schedule": "Each segment in every member's local time.",
    "convert": "One instant to many zones.",
    "members": "The member directory.",
    "holidays": "Holiday calendars of the members' duty stations.",
    "invite": "Calendar invitations, updates, cancellations.",
    "replies": "Members' replies to the invitations, and the attendance.",
    "agenda": "The provisional agenda of each segment.",
    "checklist": "Preparation tasks with due dates, owners and status.",
    "check": "What is wrong with a plan, and for whom.",
    "suggest": "Ranked start times for a new segment.",
    "import-report": "A report or notice in prose → a meeting file.",
    "build": "The whole meeting pack in one folder.",
}


NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2


def one_line(text: str) -> str:
    """User text is echoed in messages: show control characters escaped, never raw."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


LINE = 360  # the longest error line: a 10 MB value in a message must not become 10 MB of output


def cut(text: str, limit: int = LINE) -> str:
    """`text` whole when short; else its start and its end (where the hint is) around an ellipsis."""
    if len(text) <= limit:
        return text
    tail = limit // 3
    return f"{text[:limit - tail - 3]} … {text[-tail:]}"


class SomGroup(click.Group):
    """Loads a command's module only when it runs (`--help` lists SUMMARIES), and maps errors to exits."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        import importlib

        module = importlib.import_module(f"agenda.cli.{COMMANDS[name]}")
        return getattr(module, "command")

    def format_commands(self, ctx, formatter):
        """As click lists them (a Commands section, name and summary), from SUMMARIES."""
        from gettext import gettext

        with formatter.section(gettext("Commands")):
            formatter.write_dl([(name, SUMMARIES[name]) for name in COMMANDS])

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Click's own errors (usage, a bad option value) become one line too, like ours."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except NO_ARGS_IS_HELP as exc:  # `som` alone: the help, not an error
            click.echo(exc.ctx.get_help())
            code = 0
        except click.UsageError as exc:
            message = one_line(exc.format_message()).rstrip(".")
            where = f"{'' if message.endswith('?') else '.'} See `{exc.ctx.command_path} --help`." if exc.ctx else ""
            click.echo(f"som: error: {message}{where}", err=True)
            code = exc.exit_code
        except click.ClickException as exc:
            click.echo(f"som: error: {one_line(exc.format_message())}", err=True)
            code = exc.exit_code
        except click.Abort:
            from agenda.model.errors import EXIT_INTERRUPTED

            click.echo("som: aborted", err=True)
            code = EXIT_INTERRUPTED
        sys.exit(code if isinstance(code, int) else 0)

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            from agenda.model.errors import did_you_mean

            hint = did_you_mean(args[0], COMMANDS, n=1) if args else None
            if hint and "No such command" in str(exc):
                raise click.UsageError(f"{exc.message} {hint[0].upper()}{hint[1:]}", ctx) from None
            raise

    def invoke(self, ctx):
        # here, not at the top: `som --help` needs none of it (nor dataclasses, which it imports)
        from agenda.model.errors import EXIT_BAD_INPUT, EXIT_BUG, EXIT_INTERRUPTED, SomError

        # Python's full (oldest-generation) collections walk every object alive: the 40,000
        # members of a loaded directory, each time, only to find them alive (a third of
        # `som schedule`'s time at 40,000 members, and more than linear). A command runs once
        # and ends, so it keeps the young collections, which free short-lived cycles, and
        # leaves out the full ones.
        thresholds = gc.get_threshold()
        gc.set_threshold(thresholds[0], thresholds[1], FULL_COLLECTIONS_NEVER)
        try:
            return super().invoke(ctx)
        except SomError as exc:
            from agenda.cli.errors import worded

            click.echo(f"som: error: {cut(one_line(worded(exc, ctx.invoked_subcommand)))}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("som: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # The reader (head, less) went away: nothing to say, and nothing more to write.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # a bug in som, not the user's input
            if ctx.obj and ctx.obj.get("verbose"):
                raise
            click.echo(f"som: internal error: {type(exc).__name__}: {cut(str(exc))}. This is a bug in som "
                       f"{__version__}; please report it to {ISSUES_URL}. Run with --verbose for "
                       f"the traceback.", err=True)
            ctx.exit(EXIT_BUG)
        finally:  # the output folders' locks end with the command (agenda.effects.files)
            gc.set_threshold(*thresholds)
            files = sys.modules.get("agenda.effects.files")
            if files is not None:
                files.unlock_all()


@click.group(cls=SomGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="som")
@click.option("--verbose", is_flag=True, help="Show the Python traceback when som fails (for bug reports).")
@click.pass_context
def som(ctx: click.Context, verbose: bool) -> None:
    """Schedule UN Senior Officials Meeting segments across members' time zones, write
    calendar invitations, and prepare the agenda and checklist.

    Every command takes an optional MEETING file (TOML); without one it uses the bundled
    EMG SOM29 meeting. Times in a meeting file are written in its home zone (Geneva for EMG).
    """
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


def main(argv=None, prog_name: str = "som") -> None:
    som.main(args=argv, prog_name=prog_name)


if __name__ == "__main__":  # pragma: no cover
    main()
