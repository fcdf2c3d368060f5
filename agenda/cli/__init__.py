"""The `som` command: a thin Click layer over the library.

Each command parses its arguments, calls the library and renders the result. Errors become
messages here and only here: a SomError is bad input (one line, exit 2; agenda.cli.errors
words it with the options where the library names its parameters), anything else is a bug
(one line that says where to report it, exit 3; `--verbose` shows the traceback).
Heavy modules (rich, holidays) are imported inside the commands so that
`som --help` stays instant.
"""

from __future__ import annotations

import sys

import click

from agenda import __version__
from agenda.model.errors import EXIT_BAD_INPUT, EXIT_BUG, EXIT_INTERRUPTED, SomError

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


NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2


def one_line(text: str) -> str:
    """User text is echoed in messages: show control characters escaped, never raw."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class SomGroup(click.Group):
    """Loads each command's module only when it is listed or run, and maps errors to exits."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        import importlib

        module = importlib.import_module(f"agenda.cli.{COMMANDS[name]}")
        return getattr(module, "command")

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
        try:
            return super().invoke(ctx)
        except SomError as exc:
            from agenda.cli.errors import worded

            click.echo(f"som: error: {one_line(worded(exc, ctx.invoked_subcommand))}", err=True)
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
            click.echo(f"som: internal error: {type(exc).__name__}: {exc}. This is a bug in som "
                       f"{__version__}; please report it to {ISSUES_URL}. Run with --verbose for "
                       f"the traceback.", err=True)
            ctx.exit(EXIT_BUG)


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
