"""The one error type the library raises for anything a user can fix, and the exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1  # `som check` found errors in the plan
EXIT_BAD_INPUT = 2  # the user's input (file, option, data) is wrong; the message says how
EXIT_BUG = 3  # a bug in som: the message says where to report it
EXIT_INTERRUPTED = 130

ISSUES_URL = "the som issue tracker (include the command, the meeting file and `som --version`)"


@dataclass
class Where:
    """Where in the user's input a problem is: a file and, where TOML gives one, a line."""

    file: Path | str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else str(self.file)


class SomError(Exception):
    """Bad input: carries what is wrong, where, and how to fix it.

    The CLI prints it as one line (two with a hint) and exits with status 2.
    """

    def __init__(self, message: str, *, file: Path | str | None = None,
                 line: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = Where(file, line)
        self.hint = hint

    def at(self, file: Path | str | None, line: int | None = None) -> "SomError":
        """Fill in the location if the raiser did not know it."""
        if self.where.file is None:
            self.where = Where(file, line)
        elif self.where.line is None and line is not None and self.where.file == file:
            self.where.line = line
        return self

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where.file is not None else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


def did_you_mean(word: str, choices, *, n: int = 3, cutoff: float = 0.6) -> str | None:
    """'did you mean `a` or `b`?' for the closest choices, or None."""
    import difflib

    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=n, cutoff=cutoff)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[c] for c in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=cutoff)]
    if not close:
        return None
    return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
